using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace DmaSafe.Profiling;

/// <summary>
/// The allocation samples of a trace whose stack holds a frame of one module, summed three ways: by the innermost
/// such frame (the module's code that allocated, itself or through the calls it made), by the chain of the module's
/// three innermost frames, and by that frame, the allocated type and the first call it made outside the module.
/// </summary>
internal sealed class AllocationByFrame
{
    private const int ChainLength = 3;

    private readonly Dictionary<string, double> _byFrame = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _byChain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _byFrameTypeAndCallee = new(StringComparer.Ordinal);
    private double _total;
    private double _inModule;

    private AllocationByFrame(string module) => Module = module;

    public string Module { get; }

    public static AllocationByFrame Read(string tracePath, string module)
    {
        var result = new AllocationByFrame(module);

        // TraceLog resolves stacks through an .etlx index: kept out of the trace's folder and removed afterwards.
        var index = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".etlx");
        try
        {
            using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(tracePath, index));
            foreach (var sample in log.Events)
            {
                if (sample is GCAllocationTickTraceData tick)
                {
                    result.Add(tick, sample.CallStack());
                }
            }
        }
        finally
        {
            File.Delete(index);
        }

        return result;
    }

    public string Describe(double runs, int top)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"allocated {_total / runs / 1e6:F1} MB per run; under a {Module} frame {_inModule / runs / 1e6:F2} MB per run (samples of ~100 KB, {runs} runs)\n");
        Table(text, $"innermost {Module} frame", _byFrame, runs, top);
        Table(text, $"{Module} frames, innermost first", _byChain, runs, top);
        Table(text, "innermost frame | type | first call outside the module", _byFrameTypeAndCallee, runs, top);
        return text.ToString();
    }

    private void Add(GCAllocationTickTraceData tick, TraceCallStack? stack)
    {
        var bytes = (double)tick.AllocationAmount64;
        _total += bytes;
        string? innermost = null;
        string? callee = null;
        string? previous = null;
        var chain = new List<string>(ChainLength);
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            var name = ShortName(frame.CodeAddress.FullMethodName);
            if ((frame.CodeAddress.ModuleName ?? string.Empty).Contains(Module, StringComparison.Ordinal))
            {
                if (innermost is null)
                {
                    innermost = name;
                    callee = previous;
                }

                if (chain.Count < ChainLength)
                {
                    chain.Add(name);
                }
            }
            else if (innermost is null)
            {
                previous = name;
            }
        }

        if (innermost is null)
        {
            return;
        }

        _inModule += bytes;
        AddTo(_byFrame, innermost, bytes);
        AddTo(_byChain, string.Join(" < ", chain), bytes);
        AddTo(_byFrameTypeAndCallee, $"{innermost} | {tick.TypeName} | {callee ?? "(itself)"}", bytes);
    }

    private static void AddTo(Dictionary<string, double> table, string key, double bytes) =>
        table[key] = table.GetValueOrDefault(key) + bytes;

    // Method names without their signatures: "Ns.Type.Method(args)" -> "Ns.Type.Method".
    private static string ShortName(string? method)
    {
        if (string.IsNullOrEmpty(method))
        {
            return "?";
        }

        var parenthesis = method.IndexOf('(', StringComparison.Ordinal);
        return parenthesis > 0 ? method[..parenthesis] : method;
    }

    private static void Table(StringBuilder text, string title, Dictionary<string, double> table, double runs, int top)
    {
        text.Append("--- ").Append(title).Append(" (MB per run)\n");
        foreach (var (key, bytes) in table.OrderByDescending(entry => entry.Value).ThenBy(entry => entry.Key, StringComparer.Ordinal).Take(top))
        {
            text.Append(CultureInfo.InvariantCulture, $"{bytes / runs / 1e6,8:F3}  {key}\n");
        }
    }
}
