using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// A cross-check of the BenchmarkDotNet run for a shared, busy machine: the variants run round-robin (so a burst
/// of other work hits all of them alike, where BenchmarkDotNet runs one after the other), each timed by wall clock and
/// by this process's CPU time (which other processes' load inflates far less). Medians over the rounds, and for the
/// differences that matter the median of the per-round differences with its confidence interval (<see cref="PairedDifference"/>).
/// </summary>
internal static class InterleavedMeasurement
{
    /// <param name="eachAnalyzer">Also time each DmaSafe analyzer alone, to split DmaSafe's cost by analyzer.</param>
    /// <param name="baseline">Another build of DmaSafe.Analyzers to time in the same rounds (null: none).</param>
    /// <param name="core">Only the compiler, EmptyAnalyzer and DmaSafe (and the baseline): the reference analyzers are left out.</param>
    /// <param name="windowsPath">
    /// Where to write each timed run's variant, round and start and end (CLOCK_MONOTONIC seconds, the clock of
    /// <c>perf record -k mono</c>), so a sampling profile of this process can be split by variant (null: not written).
    /// </param>
    public static string Run(DriverProjectCompilation compilation, int rounds, bool eachAnalyzer, string? baseline = null, bool core = false, string? windowsPath = null)
    {
        var dmaSafe = DmaSafeAnalyzerSet.Create();
        var variants = new List<(string Name, Action Run)>
        {
            ("Compiler (GetDiagnostics)", () => compilation.Compile()),
            ("Compiler (Emit to null)", () => compilation.Emit()),
            With("Compiler + EmptyAnalyzer", new EmptyAnalyzer()),
            With("Compiler + DmaSafe analyzers", dmaSafe.ToArray()),
            With("Compiler + RegistrationShapeAnalyzer set", RegistrationShapeAnalyzer.CreateSet().ToArray()),
            With("Compiler + one RegistrationShapeAnalyzer", RegistrationShapeAnalyzer.CreateMerged()),
        };
        if (!core)
        {
            variants.Add(With("Compiler + EmptyOperationAnalyzer", new EmptyOperationAnalyzer()));
            variants.Add(With("Compiler + EmptyCodeBlockAnalyzer", new EmptyCodeBlockAnalyzer()));
            variants.Add(With("Compiler + GateFloorAnalyzer", new GateFloorAnalyzer()));
            variants.Add(With("Compiler + EmptySemanticModelAnalyzer", new EmptySemanticModelAnalyzer()));
            variants.Add(With("Compiler + SymbolFloorAnalyzer", new SymbolFloorAnalyzer()));
        }

        var baselineIndex = -1;
        if (baseline is not null)
        {
            baselineIndex = variants.Count;
            variants.Add(With("Compiler + DmaSafe analyzers (baseline build)", BaselineAnalyzerSet.Load(baseline).ToArray()));
        }

        // Builds as csc runs them: the driver fed by the emit pass, not by a GetDiagnostics pass of its own.
        var cscEmpty = variants.Count;
        variants.Add(AsCsc("Emit + EmptyAnalyzer (as csc)", new EmptyAnalyzer()));
        variants.Add(AsCsc("Emit + DmaSafe analyzers (as csc)", dmaSafe.ToArray()));
        var cscDmaSafe = cscEmpty + 1;

        var firstAlone = variants.Count;
        if (eachAnalyzer)
        {
            variants.AddRange(dmaSafe.Select(a => With("Compiler + " + a.GetType().Name + " alone", a)));
        }

        (string, Action) With(string name, params DiagnosticAnalyzer[] analyzers)
        {
            var set = analyzers.ToImmutableArray();
            return (name, () => compilation.CompileWithAnalyzersAsync(set).GetAwaiter().GetResult());
        }

        (string, Action) AsCsc(string name, params DiagnosticAnalyzer[] analyzers)
        {
            var build = compilation.CscStyle(analyzers.ToImmutableArray());
            return (name, () => compilation.EmitWithAnalyzers(build));
        }

        var samples = RoundRobinSamples.Collect(variants, rounds, windowsPath);
        var (wall, cpu, allocated, gcPause) = (samples.Wall, samples.Cpu, samples.Allocated, samples.GcPause);
        var text = new StringBuilder(samples.Table(rounds));

        double Added(List<double>[] m, int variant, int over) => 100.0 * (SampleMedian.Of(m[variant]) - SampleMedian.Of(m[over])) / SampleMedian.Of(m[0]);
        var emit = SampleMedian.Of(cpu[1]);
        var emitWall = SampleMedian.Of(wall[1]);
        string Paired(string what, int variant, int over) => RoundRobinSamples.PairedLine(what, "CPU", cpu, variant, over, emit, "Emit's CPU");
        string PairedWall(string what, int variant, int over) => RoundRobinSamples.PairedLine(what, "wall", wall, variant, over, emitWall, "Emit's wall");

        string PairedPause(string what, int variant, int over)
        {
            var pause = PairedDifference.Of(gcPause[variant], gcPause[over]);
            return string.Create(CultureInfo.InvariantCulture,
                $"{what}, GC pause paired by round: median {pause.Median:F0} ms, {100 * pause.Coverage:F0}% interval [{pause.Low:F0}, {pause.High:F0}] ms\n");
        }

        string PairedAllocated(string what, int variant, int over)
        {
            var bytes = PairedDifference.Of(allocated[variant], allocated[over]);
            return string.Create(CultureInfo.InvariantCulture,
                $"{what}, allocated MB paired by round: median {bytes.Median:F1} MB, {100 * bytes.Coverage:F0}% interval [{bytes.Low:F1}, {bytes.High:F1}] MB\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"DmaSafe added over EmptyAnalyzer: CPU median {SampleMedian.Of(cpu[3]) - SampleMedian.Of(cpu[2]):F0} ms, min {cpu[3].Min() - cpu[2].Min():F0} ms "
            + $"({100.0 * (SampleMedian.Of(cpu[3]) - SampleMedian.Of(cpu[2])) / SampleMedian.Of(cpu[1]):F1}% / {100.0 * (cpu[3].Min() - cpu[2].Min()) / cpu[1].Min():F1}% of Emit); "
            + $"allocated {SampleMedian.Of(allocated[3]) - SampleMedian.Of(allocated[2]):F0} MB\n");
        // Each paired comparison: how it is measured, what it is called, the variant and the one it is measured over.
        void AppendAll(params (Func<string, int, int, string> Measure, string What, int Variant, int Over)[] comparisons)
        {
            foreach (var (measure, what, variant, over) in comparisons)
            {
                text.Append(measure(what, variant, over));
            }
        }

        AppendAll(
            (Paired, "DmaSafe over EmptyAnalyzer", 3, 2),
            (PairedPause, "DmaSafe over EmptyAnalyzer", 3, 2),
            (PairedAllocated, "DmaSafe over EmptyAnalyzer", 3, 2),
            (Paired, "RegistrationShape set over EmptyAnalyzer", 4, 2),
            (Paired, "DmaSafe over the RegistrationShape set", 3, 4),
            (Paired, "one RegistrationShapeAnalyzer over EmptyAnalyzer", 5, 2),
            (Paired, "RegistrationShape set over one RegistrationShapeAnalyzer", 4, 5),
            (PairedPause, "RegistrationShape set over one RegistrationShapeAnalyzer", 4, 5),
            (Paired, "as csc: DmaSafe over EmptyAnalyzer", cscDmaSafe, cscEmpty),
            (PairedWall, "as csc: DmaSafe over EmptyAnalyzer", cscDmaSafe, cscEmpty),
            (PairedPause, "as csc: DmaSafe over EmptyAnalyzer", cscDmaSafe, cscEmpty),
            (Paired, "as csc: EmptyAnalyzer over Emit alone", cscEmpty, 1),
            (PairedWall, "as csc: EmptyAnalyzer over Emit alone", cscEmpty, 1),
            (Paired, "as csc: DmaSafe over Emit alone", cscDmaSafe, 1),
            (PairedWall, "as csc: DmaSafe over Emit alone", cscDmaSafe, 1),
            (PairedWall, "DmaSafe over EmptyAnalyzer", 3, 2));
        if (!core)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"DmaSafe added, % of the compiler's GetDiagnostics time: over the compiler wall {Added(wall, 3, 0):F1} CPU {Added(cpu, 3, 0):F1}; "
                + $"over the EmptyAnalyzer run wall {Added(wall, 3, 2):F1} CPU {Added(cpu, 3, 2):F1}; "
                + $"over the EmptyOperationAnalyzer run wall {Added(wall, 3, 6):F1} CPU {Added(cpu, 3, 6):F1}; "
                + $"over the EmptyCodeBlockAnalyzer run wall {Added(wall, 3, 7):F1} CPU {Added(cpu, 3, 7):F1}; "
                + $"over the GateFloorAnalyzer run wall {Added(wall, 3, 8):F1} CPU {Added(cpu, 3, 8):F1}\n");
            text.Append(CultureInfo.InvariantCulture,
                $"GateFloor over EmptyAnalyzer: CPU median {SampleMedian.Of(cpu[8]) - SampleMedian.Of(cpu[2]):F0} ms, min {cpu[8].Min() - cpu[2].Min():F0} ms, "
                + $"allocated {SampleMedian.Of(allocated[8]) - SampleMedian.Of(allocated[2]):F0} MB\n");
            AppendAll(
                (Paired, "GateFloor over EmptyAnalyzer", 8, 2),
                (Paired, "EmptySemanticModelAnalyzer over EmptyAnalyzer", 9, 2),
                (Paired, "DmaSafe over EmptySemanticModelAnalyzer", 3, 9),
                (Paired, "SymbolFloor over EmptyAnalyzer", 10, 2),
                (Paired, "SymbolFloor over GateFloor", 10, 8),
                (PairedPause, "GateFloor over EmptyAnalyzer", 8, 2),
                (PairedPause, "SymbolFloor over EmptyAnalyzer", 10, 2),
                (PairedPause, "SymbolFloor over GateFloor", 10, 8),
                (PairedAllocated, "SymbolFloor over GateFloor", 10, 8));
        }

        if (baselineIndex >= 0)
        {
            AppendAll(
                (Paired, "this build over the baseline build", 3, baselineIndex),
                (PairedPause, "this build over the baseline build", 3, baselineIndex),
                (PairedAllocated, "this build over the baseline build", 3, baselineIndex));
            text.Append(CultureInfo.InvariantCulture,
                $"this build over the baseline build: CPU median {SampleMedian.Of(cpu[3]) - SampleMedian.Of(cpu[baselineIndex]):F0} ms, min {cpu[3].Min() - cpu[baselineIndex].Min():F0} ms; "
                + $"baseline added over EmptyAnalyzer: CPU median {SampleMedian.Of(cpu[baselineIndex]) - SampleMedian.Of(cpu[2]):F0} ms, min {cpu[baselineIndex].Min() - cpu[2].Min():F0} ms, allocated {SampleMedian.Of(allocated[baselineIndex]) - SampleMedian.Of(allocated[2]):F0} MB\n");
        }

        // Each analyzer alone, over EmptyOperationAnalyzer (EmptyAnalyzer with --core).
        var aloneReference = core ? 2 : 6;
        for (var v = firstAlone; v < variants.Count; v++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  {variants[v].Name}: over the {variants[aloneReference].Name} run wall {Added(wall, v, aloneReference):F1}% CPU {Added(cpu, v, aloneReference):F1}%\n");
        }

        return text.ToString();
    }
}
