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
        for (var run = 0; run < runs; run++)
        {
            var start = 0L;
            var end = 0L;
            var cpu = ProcessCpu.Measure(() =>
            {
                start = Stopwatch.GetTimestamp();
                compilation.CompileWithAnalyzersAsync(analyzers).GetAwaiter().GetResult();
                end = Stopwatch.GetTimestamp();
            });
            starts.Append(CultureInfo.InvariantCulture, $" {Seconds(start):F6}-{Seconds(end):F6}");
            text.Append(CultureInfo.InvariantCulture, $" {cpu:F0}");
        }

        return text.Append('\n').Append(starts).Append('\n').ToString();
    }

    // Stopwatch reads CLOCK_MONOTONIC on Linux; its ticks are converted to seconds.
    private static double Seconds(long timestamp) => (double)timestamp / Stopwatch.Frequency;
}
