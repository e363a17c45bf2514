using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// DmaSafe's analyzer time in CPU: each DmaSafe analyzer wrapped in a <see cref="CpuTimedAnalyzer"/>, runs of the
/// wrapped set alternating with runs of Emit (a build's compile) in one process, and the CPU its callbacks used per run
/// against Emit's process CPU; then the same in builds as csc runs them (<see cref="CscStyleBuild"/>), against the
/// process CPU of such a build with EmptyAnalyzer. What this leaves out, and the end-to-end comparisons
/// (<see cref="InterleavedMeasurement"/>, <see cref="CscBuildMeasurement"/>) include: the driver's dispatch and the
/// garbage collection DmaSafe's allocations cause on other threads. With the workstation collector, a collection runs
/// on the thread that trips the budget, so callbacks can be charged for the compiler's collections: run it with
/// DOTNET_gcServer=1, as csc runs.
/// </summary>
internal static class CallbackCpu
{
    /// <param name="baseline">Another build of DmaSafe.Analyzers whose callbacks are timed in the same rounds (null: none).</param>
    public static string Run(DriverProjectCompilation compilation, int rounds, string? baseline = null)
    {
        if (!ThreadCpuClock.IsAvailable)
        {
            return "callback CPU: needs Linux's per-thread CPU clock; skipped\n";
        }

        var timed = DmaSafeAnalyzerSet.Create().Select(a => new CpuTimedAnalyzer(a)).ToImmutableArray();
        var analyzers = timed.CastArray<DiagnosticAnalyzer>();
        var timedBaseline = baseline is null
            ? ImmutableArray<CpuTimedAnalyzer>.Empty
            : BaselineAnalyzerSet.Load(baseline).Select(a => new CpuTimedAnalyzer(a)).ToImmutableArray();
        var baselineAnalyzers = timedBaseline.CastArray<DiagnosticAnalyzer>();

        var cscTimed = compilation.CscStyle(analyzers);
        var cscEmpty = compilation.CscStyle(ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()));

        // Three untimed runs each: the JIT's tiering of DmaSafe's code settles over the first runs.
        for (var warm = 0; warm < 3; warm++)
        {
            compilation.Emit();
            compilation.CompileWithAnalyzersAsync(analyzers).GetAwaiter().GetResult();
            compilation.EmitWithAnalyzers(cscEmpty);
            compilation.EmitWithAnalyzers(cscTimed);
            if (!baselineAnalyzers.IsEmpty)
            {
                compilation.CompileWithAnalyzersAsync(baselineAnalyzers).GetAwaiter().GetResult();
            }
        }

        foreach (var analyzer in timed.Concat(timedBaseline))
        {
            analyzer.Take();
        }

        var baselineTotal = new List<double>();
        var baselineAllocated = new List<double>();

        var emit = new List<double>();
        var cscEmptyCpu = new List<double>();
        var cscTotal = new List<double>();
        var total = new List<double>();
        var allocated = new List<double>();
        var byAnalyzer = timed.Select(_ => new List<double>()).ToArray();
        var bytesByAnalyzer = timed.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            emit.Add(ProcessCpu.Measure(() => compilation.Emit()));

            ProcessCpu.Settle();
            compilation.CompileWithAnalyzersAsync(analyzers).GetAwaiter().GetResult();
            var sum = 0.0;
            var bytes = 0L;
            for (var a = 0; a < timed.Length; a++)
            {
                var (nanoseconds, analyzerBytes) = timed[a].Take();
                byAnalyzer[a].Add(nanoseconds / 1e6);
                bytesByAnalyzer[a].Add(analyzerBytes / 1e6);
                sum += nanoseconds / 1e6;
                bytes += analyzerBytes;
            }

            total.Add(sum);
            allocated.Add(bytes / 1e6);

            cscEmptyCpu.Add(ProcessCpu.Measure(() => compilation.EmitWithAnalyzers(cscEmpty)));
            ProcessCpu.Settle();
            compilation.EmitWithAnalyzers(cscTimed);
            cscTotal.Add(timed.Sum(a => a.Take().Nanoseconds) / 1e6);
            if (!baselineAnalyzers.IsEmpty)
            {
                ProcessCpu.Settle();
                compilation.CompileWithAnalyzersAsync(baselineAnalyzers).GetAwaiter().GetResult();
                var (baselineNanoseconds, baselineBytes) = (0L, 0L);
                foreach (var analyzer in timedBaseline)
                {
                    var (nanoseconds, analyzerBytes) = analyzer.Take();
                    baselineNanoseconds += nanoseconds;
                    baselineBytes += analyzerBytes;
                }

                baselineTotal.Add(baselineNanoseconds / 1e6);
                baselineAllocated.Add(baselineBytes / 1e6);
            }
        }

        var text = new StringBuilder();
        var emitMedian = SampleMedian.Of(emit);
        text.Append(CultureInfo.InvariantCulture,
            $"DmaSafe callbacks, thread CPU, {rounds} runs: median {SampleMedian.Of(total):F1} ms ({100 * SampleMedian.Of(total) / emitMedian:F2}% of Emit's {emitMedian:F0} ms process CPU), "
            + $"min {total.Min():F1}, max {total.Max():F1}; allocated in them {SampleMedian.Of(allocated):F1} MB; per analyzer (median ms / MB):");
        for (var a = 0; a < timed.Length; a++)
        {
            text.Append(CultureInfo.InvariantCulture, $" {timed[a].Inner.GetType().Name} {SampleMedian.Of(byAnalyzer[a]):F1} / {SampleMedian.Of(bytesByAnalyzer[a]):F1};");
        }

        text.Append('\n');
        var cscEmptyMedian = SampleMedian.Of(cscEmptyCpu);
        text.Append(CultureInfo.InvariantCulture,
            $"in builds as csc runs them: DmaSafe callbacks median {SampleMedian.Of(cscTotal):F1} ms, min {cscTotal.Min():F1}, max {cscTotal.Max():F1} "
            + $"({100 * SampleMedian.Of(cscTotal) / cscEmptyMedian:F2}% of the {cscEmptyMedian:F0} ms process CPU of such a build with EmptyAnalyzer, {100 * SampleMedian.Of(cscTotal) / emitMedian:F2}% of Emit's)\n");
        if (baselineTotal.Count > 0)
        {
            var paired = PairedDifference.Of(total, baselineTotal);
            text.Append(CultureInfo.InvariantCulture,
                $"baseline build's callbacks, same rounds: median {SampleMedian.Of(baselineTotal):F1} ms ({100 * SampleMedian.Of(baselineTotal) / emitMedian:F2}% of Emit), allocated {SampleMedian.Of(baselineAllocated):F1} MB; "
                + $"this build minus the baseline, paired by round: median {paired.Median:F1} ms, {100 * paired.Coverage:F0}% interval [{paired.Low:F1}, {paired.High:F1}] ms\n");
        }

        return text.ToString();
    }
}
