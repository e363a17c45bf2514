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
/// A cross-check of the BenchmarkDotNet run for a shared, busy machine: the variants run round-robin (so a burst
/// of other work hits all of them alike, where BenchmarkDotNet runs one after the other), each timed by wall clock and
/// by this process's CPU time (which other processes' load inflates far less). Medians over the rounds.
/// </summary>
internal static class InterleavedMeasurement
{
    /// <param name="eachAnalyzer">Also time each DmaSafe analyzer alone, to split DmaSafe's cost by analyzer.</param>
    public static string Run(DriverProjectCompilation compilation, int rounds, bool eachAnalyzer)
    {
        var dmaSafe = DmaSafeAnalyzerSet.Create();
        var variants = new List<(string Name, Action Run)>
        {
            ("Compiler (GetDiagnostics)", () => compilation.Compile()),
            ("Compiler (Emit to null)", () => compilation.Emit()),
            With("Compiler + EmptyAnalyzer", new EmptyAnalyzer()),
            With("Compiler + DmaSafe analyzers", dmaSafe.ToArray()),
            With("Compiler + EmptyOperationAnalyzer", new EmptyOperationAnalyzer()),
            With("Compiler + EmptyCodeBlockAnalyzer", new EmptyCodeBlockAnalyzer()),
        };
        if (eachAnalyzer)
        {
            variants.AddRange(dmaSafe.Select(a => With("Compiler + " + a.GetType().Name + " alone", a)));
        }

        (string, Action) With(string name, params DiagnosticAnalyzer[] analyzers)
        {
            var set = analyzers.ToImmutableArray();
            return (name, () => compilation.CompileWithAnalyzersAsync(set).GetAwaiter().GetResult());
        }

        var wall = variants.Select(_ => new List<double>()).ToArray();
        var cpu = variants.Select(_ => new List<double>()).ToArray();

        // One untimed round warms the JIT and the reference symbols.
        foreach (var variant in variants)
        {
            variant.Run();
        }

        var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            for (var v = 0; v < variants.Count; v++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                variants[v].Run();
                clock.Stop();
                process.Refresh();
                wall[v].Add(clock.Elapsed.TotalMilliseconds);
                cpu[v].Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"interleaved, {rounds} rounds, medians (ms):\n");
        text.Append("| variant | wall | CPU |\n|---|---:|---:|\n");
        for (var v = 0; v < variants.Count; v++)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {variants[v].Name} | {Median(wall[v]):F0} | {Median(cpu[v]):F0} |\n");
        }

        double Added(List<double>[] m, int variant, int over) => 100.0 * (Median(m[variant]) - Median(m[over])) / Median(m[0]);
        text.Append(CultureInfo.InvariantCulture,
            $"DmaSafe added, % of the compiler's GetDiagnostics time: over the compiler wall {Added(wall, 3, 0):F1} CPU {Added(cpu, 3, 0):F1}; "
            + $"over the EmptyAnalyzer run wall {Added(wall, 3, 2):F1} CPU {Added(cpu, 3, 2):F1}; "
            + $"over the EmptyOperationAnalyzer run wall {Added(wall, 3, 4):F1} CPU {Added(cpu, 3, 4):F1}; "
            + $"over the EmptyCodeBlockAnalyzer run wall {Added(wall, 3, 5):F1} CPU {Added(cpu, 3, 5):F1}\n");
        for (var v = 6; v < variants.Count; v++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {variants[v].Name}: over the EmptyOperationAnalyzer run wall {Added(wall, v, 4):F1}% CPU {Added(cpu, v, 4):F1}%\n");
        }

        return text.ToString();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
