using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The harness baseline (as NetAnalyzers' performance tests use one): an enabled analyzer that registers nothing, so
/// the analyzer driver runs on the compilation's events but no analysis happens. DmaSafe's own cost is what it adds
/// on top of this.
/// </summary>
// Handed to CompilationWithAnalyzers in-process only, never loaded by a compiler nor shipped: the rules for analyzer
// assemblies (netstandard2.0, extended rules, release tracking) do not apply to this benchmark host.
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyAnalyzer : DiagnosticAnalyzer
{
    // One enabled descriptor: an analyzer whose every descriptor is disabled could be skipped by the driver, and then it
    // would not measure the harness at all.
    private static readonly DiagnosticDescriptor Never = new(
        "EMPTY001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
    }
}
#pragma warning restore RS1041, RS1036, RS2008
