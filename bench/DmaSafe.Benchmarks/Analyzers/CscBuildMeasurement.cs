using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// DmaSafe's share of a build as csc runs it (<see cref="CscStyleBuild"/>), and nothing else, so many rounds fit:
/// the compilation alone (Emit), a build with EmptyAnalyzer (every SDK build attaches the analyzer driver), a build
/// with DmaSafe (and another build of DmaSafe's analyzers, if given), round-robin. DmaSafe's share is its paired
/// difference from the EmptyAnalyzer build, in wall clock and in process CPU, as a percentage of that build.
/// </summary>
internal static class CscBuildMeasurement
{
    public static string Run(DriverProjectCompilation compilation, int rounds, string? baseline)
    {
        var variants = new List<(string Name, Action Run)>
        {
            ("Emit, no analyzer", () => compilation.Emit()),
            AsCsc("Emit + EmptyAnalyzer (as csc)", ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer())),
            AsCsc("Emit + DmaSafe analyzers (as csc)", DmaSafeAnalyzerSet.Create()),
        };
        if (baseline is not null)
        {
            variants.Add(AsCsc("Emit + DmaSafe analyzers, baseline build (as csc)", BaselineAnalyzerSet.Load(baseline)));
        }

        (string, Action) AsCsc(string name, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var build = compilation.CscStyle(analyzers);
            return (name, () => compilation.EmitWithAnalyzers(build));
        }

        var samples = RoundRobinSamples.Collect(variants, rounds);
        var text = new StringBuilder(samples.Table(rounds));
        text.Append(CultureInfo.InvariantCulture, $"GC: {(System.Runtime.GCSettings.IsServerGC ? "server (as csc and the compiler server run)" : "workstation")}\n");
        void Compare(string what, int variant, int over) =>
            text.Append(RoundRobinSamples.PairedWallAndCpu(what, samples.Wall, samples.Cpu, variant, over, "it is measured over"));

        Compare("DmaSafe over the EmptyAnalyzer build", 2, 1);
        Compare("EmptyAnalyzer build over Emit alone (the driver)", 1, 0);
        Compare("DmaSafe over Emit alone", 2, 0);
        if (baseline is not null)
        {
            Compare("this build over the baseline build", 2, 3);
        }

        return text.ToString();
    }
}
