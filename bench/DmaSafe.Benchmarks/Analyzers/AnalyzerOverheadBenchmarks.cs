using System;
using System.Collections.Immutable;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using DmaSafe.Benchmarks.Analyzers.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// DmaSafe's cost on the generated 2,000-file, 1,000-mapping driver project, in one run against its baselines on the
/// same compilation: the compiler alone (GetDiagnostics: every method body bound and flow-analysed, the part of a build
/// the analyzer driver runs alongside), the compiler emitting (what csc does for a build), the compiler with an empty
/// analyzer (the driver's own overhead), with every DmaSafe analyzer, and with an analyzer that only asks for operation
/// trees (the IOperation floor every operation-based analyzer shares). Target: DmaSafe adds at most 3%.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerOverheadBenchmarks
{
    private DriverProjectCompilation _compilation = null!;
    private ImmutableArray<DiagnosticAnalyzer> _empty;
    private ImmutableArray<DiagnosticAnalyzer> _dmaSafe;
    private ImmutableArray<DiagnosticAnalyzer> _emptyOperation;
    private ImmutableArray<DiagnosticAnalyzer> _emptyCodeBlock;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = DriverProjectCompilation.Create(SyntheticDriverProject.Generate(DriverProjectSpec.Default));
        _empty = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer());
        _dmaSafe = DmaSafeAnalyzerSet.Create();
        _emptyOperation = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationAnalyzer());
        _emptyCodeBlock = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyCodeBlockAnalyzer());
        var check = DriverProjectCheck.RunAsync(_compilation).GetAwaiter().GetResult();
        check.ThrowIfUnusable();
        Console.WriteLine($"// {_compilation.Project.Files.Count} files, {_compilation.Project.MapSingleCallSites} MapSingle sites");
        Console.WriteLine("// " + check.Describe().Replace("\n", "\n// ", StringComparison.Ordinal));
    }

    [Benchmark(Baseline = true, Description = "Compiler (GetDiagnostics)")]
    public ImmutableArray<Diagnostic> Compiler() => _compilation.Compile();

    [Benchmark(Description = "Compiler (Emit to null)")]
    public EmitResult CompilerEmit() => _compilation.Emit();

    [Benchmark(Description = "Compiler + EmptyAnalyzer")]
    public Task<ImmutableArray<Diagnostic>> CompilerWithEmptyAnalyzer() => _compilation.CompileWithAnalyzersAsync(_empty);

    [Benchmark(Description = "Compiler + DmaSafe analyzers")]
    public Task<ImmutableArray<Diagnostic>> CompilerWithDmaSafe() => _compilation.CompileWithAnalyzersAsync(_dmaSafe);

    [Benchmark(Description = "Compiler + EmptyOperationAnalyzer")]
    public Task<ImmutableArray<Diagnostic>> CompilerWithEmptyOperationAnalyzer() => _compilation.CompileWithAnalyzersAsync(_emptyOperation);

    [Benchmark(Description = "Compiler + EmptyCodeBlockAnalyzer")]
    public Task<ImmutableArray<Diagnostic>> CompilerWithEmptyCodeBlockAnalyzer() => _compilation.CompileWithAnalyzersAsync(_emptyCodeBlock);
}
