using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// What DmaSafe's extra allocation in a driver run consists of, by type: the runtime's GC allocation-tick events (one
/// sample per ~100 KB allocated, carrying the type of the object that crossed the threshold and the bytes since the
/// last sample) summed by type over runs of the EmptyAnalyzer variant and of the DmaSafe variant, alternating, and the
/// difference per run. Sampled, so types that allocate less than a few hundred KB per run are noise.
/// </summary>
internal static class AllocationTypes
{
    public static string Run(DriverProjectCompilation compilation, int runs)
    {
        (string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers)[] variants =
        [
            ("EmptyAnalyzer", [new EmptyAnalyzer()]),
            ("DmaSafe", DmaSafeAnalyzerSet.Create()),
        ];
        foreach (var (_, analyzers) in variants)
        {
            compilation.CompileWithAnalyzersAsync(analyzers).GetAwaiter().GetResult(); // JIT, symbols
        }

        var totals = variants.Select(_ => new Dictionary<string, double>(StringComparer.Ordinal)).ToArray();
        using (var listener = new AllocationTickListener())
        {
            for (var run = 0; run < runs; run++)
            {
                for (var v = 0; v < variants.Length; v++)
                {
                    ProcessCpu.Settle();
                    listener.Start();
                    compilation.CompileWithAnalyzersAsync(variants[v].Analyzers).GetAwaiter().GetResult();
                    foreach (var (type, bytes) in listener.Stop())
                    {
                        totals[v][type] = totals[v].GetValueOrDefault(type) + bytes;
                    }
                }
            }
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"allocation by type, sampled (GC allocation ticks), MB per run over {runs} runs of each variant:\n");
        text.Append(CultureInfo.InvariantCulture, $"  total: EmptyAnalyzer {totals[0].Values.Sum() / runs / 1e6:F1} MB, DmaSafe {totals[1].Values.Sum() / runs / 1e6:F1} MB\n");
        text.Append("  DmaSafe minus EmptyAnalyzer, largest first:\n");
        var types = totals[0].Keys.Union(totals[1].Keys);
        foreach (var (type, difference) in types
            .Select(t => (t, (totals[1].GetValueOrDefault(t) - totals[0].GetValueOrDefault(t)) / runs / 1e6))
            .OrderByDescending(d => Math.Abs(d.Item2))
            .Take(30))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {difference,8:F2} MB  {type}\n");
        }

        return text.ToString();
    }

    /// <summary>Collects GCAllocationTick events between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    private sealed class AllocationTickListener : EventListener
    {
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private readonly object _lock = new();
        private Dictionary<string, double> _bytes = new(StringComparer.Ordinal);
        private volatile bool _recording;

        public void Start()
        {
            lock (_lock)
            {
                _bytes = new Dictionary<string, double>(StringComparer.Ordinal);
            }

            _recording = true;
        }

        public Dictionary<string, double> Stop()
        {
            _recording = false;

            // Runtime events reach listeners on a dispatch thread, a little after they happen.
            System.Threading.Thread.Sleep(500);
            lock (_lock)
            {
                return _bytes;
            }
        }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, GcKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs data)
        {
            if (!_recording || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.PayloadNames is null || data.Payload is null)
            {
                return;
            }

            var type = Payload(data, "TypeName") as string ?? "?";
            var amount = Convert.ToDouble(Payload(data, "AllocationAmount64") ?? Payload(data, "AllocationAmount") ?? 0, CultureInfo.InvariantCulture);
            lock (_lock)
            {
                _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            }
        }

        private static object? Payload(EventWrittenEventArgs data, string name)
        {
            var index = data.PayloadNames!.IndexOf(name);
            return index >= 0 ? data.Payload![index] : null;
        }
    }
}
