using System;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using DmaSafe.Benchmarks.Analyzers.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// DmaSafe's cost on the generated 2,000-file, 1,000-mapping driver project in builds as csc runs them
/// (<see cref="CscStyleBuild"/>: the analyzer driver fed by the emit pass) and with the server garbage collector, as
/// csc and the compiler server run (their runtimeconfig.json sets System.GC.Server). The baseline is a build with an
/// analyzer that registers nothing: every SDK build attaches the driver (the .NET analyzers are on by default), so
/// that is the build DmaSafe is added to. The build with no analyzer at all is in the same run, for the driver's own
/// cost. Target: DmaSafe adds at most 3%.
/// </summary>
[MemoryDiagnoser]
[GcServer(true)]
public class CscBuildOverheadBenchmarks
{
    private DriverProjectCompilation _compilation = null!;
    private CscStyleBuild _empty = null!;
    private CscStyleBuild _dmaSafe = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = DriverProjectCompilation.Create(SyntheticDriverProject.Generate(DriverProjectSpec.Default));
        _empty = _compilation.CscStyle(ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()));
        _dmaSafe = _compilation.CscStyle(DmaSafeAnalyzerSet.Create());
        var check = DriverProjectCheck.RunAsync(_compilation).GetAwaiter().GetResult();
        check.ThrowIfUnusable();
        Console.WriteLine($"// {_compilation.Project.Files.Count} files, {_compilation.Project.MapSingleCallSites} MapSingle sites, GC server: {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine("// " + check.Describe().Replace("\n", "\n// ", StringComparison.Ordinal));
    }

    [Benchmark(Description = "Emit, no analyzer")]
    public EmitResult Emit() => _compilation.Emit();

    [Benchmark(Baseline = true, Description = "Emit + EmptyAnalyzer (as csc)")]
    public ImmutableArray<Diagnostic> EmitWithEmptyAnalyzer() => _compilation.EmitWithAnalyzers(_empty);

    [Benchmark(Description = "Emit + DmaSafe analyzers (as csc)")]
    public ImmutableArray<Diagnostic> EmitWithDmaSafe() => _compilation.EmitWithAnalyzers(_dmaSafe);
}
