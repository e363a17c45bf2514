using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DmaSafe.Profiling;

/// <summary>
/// What the collections of a traced process cost: how many of each generation, the bytes they promoted (the survivors
/// a collection copies or marks are most of its work) and the time the runtime was suspended for them.
/// </summary>
internal sealed class CollectionCost
{
    private readonly int[] _byGeneration = new int[3];
    private double _promotedFromGen0;
    private double _promotedFromGen1;
    private double _pauseMs;
    private double? _suspendedAt;

    private CollectionCost(string tracePath) => TracePath = tracePath;

    public string TracePath { get; }

    public static CollectionCost Read(string tracePath)
    {
        var cost = new CollectionCost(tracePath);
        using var source = new EventPipeEventSource(tracePath);
        source.Clr.GCStart += cost.OnStart;
        source.Clr.GCHeapStats += cost.OnHeapStats;
        source.Clr.GCSuspendEEStart += suspend => cost._suspendedAt = suspend.TimeStampRelativeMSec;
        source.Clr.GCRestartEEStop += cost.OnRestarted;
        source.Process();
        return cost;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{TracePath}: {_byGeneration[0]} gen0, {_byGeneration[1]} gen1, {_byGeneration[2]} gen2 collections; "
        + $"promoted from gen0 {_promotedFromGen0 / 1e6:F0} MB, from gen1 {_promotedFromGen1 / 1e6:F0} MB; suspended {_pauseMs:F0} ms");

    private void OnStart(GCStartTraceData start)
    {
        if (start.Depth is >= 0 and < 3)
        {
            _byGeneration[start.Depth]++;
        }
    }

    private void OnHeapStats(GCHeapStatsTraceData stats)
    {
        _promotedFromGen0 += stats.TotalPromotedSize0;
        _promotedFromGen1 += stats.TotalPromotedSize1;
    }

    private void OnRestarted(GCNoUserDataTraceData restarted)
    {
        if (_suspendedAt is { } start)
        {
            _pauseMs += restarted.TimeStampRelativeMSec - start;
            _suspendedAt = null;
        }
    }
}
