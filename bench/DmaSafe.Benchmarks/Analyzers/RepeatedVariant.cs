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
/// the driver's dispatch, in the compiler's binding on DmaSafe's behalf, or in the collector.
/// </summary>
internal static class RepeatedVariant
{
    public static readonly string[] Names = ["empty", "dmasafe", "shape"];

    public static string Run(DriverProjectCompilation compilation, string name, int runs)
    {
        ImmutableArray<DiagnosticAnalyzer> analyzers = name switch
        {
            "empty" => [new EmptyAnalyzer()],
            "dmasafe" => DmaSafeAnalyzerSet.Create(),
            "shape" => RegistrationShapeAnalyzer.CreateSet(),
            _ => throw new ArgumentException($"--repeat takes one of {string.Join(", ", Names)}, not '{name}'."),
        };

        compilation.CompileWithAnalyzersAsync(analyzers).GetAwaiter().GetResult(); // JIT, reference symbols
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{name}, {runs} runs (this process's CPU ms each):");
        var starts = new StringBuilder("run start and end times (CLOCK_MONOTONIC seconds, as `perf record -k mono` stamps samples):");
        var process = Process.GetCurrentProcess();
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var before = process.TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            compilation.CompileWithAnalyzersAsync(analyzers).GetAwaiter().GetResult();
            starts.Append(CultureInfo.InvariantCulture, $" {Seconds(start):F6}-{Seconds(Stopwatch.GetTimestamp()):F6}");
            process.Refresh();
            text.Append(CultureInfo.InvariantCulture, $" {(process.TotalProcessorTime - before).TotalMilliseconds:F0}");
        }

        return text.Append('\n').Append(starts).Append('\n').ToString();
    }

    // Stopwatch reads CLOCK_MONOTONIC on Linux; its ticks are converted to seconds.
    private static double Seconds(long timestamp) => (double)timestamp / Stopwatch.Frequency;
}
