using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// One variant run again and again in this process and nothing else, so a sampling profiler attached to two such
/// processes (EmptyAnalyzer's and DmaSafe's) shows where the difference between them goes: in DmaSafe's own frames, in
/// the driver's dispatch, in the compiler's binding on DmaSafe's behalf, or in the collector. Also the live heap after
/// each run, so state kept from one compilation to the next (a leak would slow every later run) shows as growth, and
/// the thread pool's thread count, which blocking work makes it grow.
/// </summary>
internal static class RepeatedVariant
{
    public static readonly string[] Names = ["empty", "semantic", "shape", "dmasafe", "csc-empty", "csc-semantic", "csc-shape", "csc-dmasafe"];

    public static string Run(DriverProjectCompilation compilation, string name, int runs)
    {
        // "csc-" runs builds as csc runs them (CscStyleBuild), the others the GetAllDiagnostics flow.
        const string CscPrefix = "csc-";
        var asCsc = name.StartsWith(CscPrefix, StringComparison.Ordinal);
        ImmutableArray<DiagnosticAnalyzer> analyzers = (asCsc ? name.Substring(CscPrefix.Length) : name) switch
        {
            "empty" => [new EmptyAnalyzer()],
            "semantic" => [new EmptySemanticModelAnalyzer()],
            "shape" => RegistrationShapeAnalyzer.CreateSet(),
            "dmasafe" => DmaSafeAnalyzerSet.Create(),
            _ => throw new ArgumentException($"--repeat takes one of {string.Join(", ", Names)}, not '{name}'."),
        };
        var build = compilation.CscStyle(analyzers);
        Action once = asCsc
            ? () => compilation.EmitWithAnalyzers(build)
            : () => compilation.CompileWithAnalyzersAsync(analyzers).GetAwaiter().GetResult();

        once(); // JIT, reference symbols
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{name}, {runs} runs (this process's CPU ms each):");
        var live = new StringBuilder("live heap after each run, MB (after a full collection):");
        var threads = new StringBuilder("thread-pool threads after each run:");
        var starts = new StringBuilder("run start and end times (CLOCK_MONOTONIC seconds, as `perf record -k mono` stamps samples):");
        for (var run = 0; run < runs; run++)
        {
            var start = 0L;
            var end = 0L;
            var cpu = ProcessCpu.Measure(() =>
            {
                start = Stopwatch.GetTimestamp();
                once();
                end = Stopwatch.GetTimestamp();
            });
            starts.Append(CultureInfo.InvariantCulture, $" {Seconds(start):F6}-{Seconds(end):F6}");
            text.Append(CultureInfo.InvariantCulture, $" {cpu:F0}");
            live.Append(CultureInfo.InvariantCulture, $" {GC.GetTotalMemory(forceFullCollection: true) / 1e6:F1}");
            threads.Append(CultureInfo.InvariantCulture, $" {System.Threading.ThreadPool.ThreadCount}");
        }

        return text.Append('\n').Append(live).Append('\n').Append(threads).Append('\n').Append(starts).Append('\n').ToString();
    }

    // Stopwatch reads CLOCK_MONOTONIC on Linux; its ticks are converted to seconds.
    private static double Seconds(long timestamp) => (double)timestamp / Stopwatch.Frequency;
}
