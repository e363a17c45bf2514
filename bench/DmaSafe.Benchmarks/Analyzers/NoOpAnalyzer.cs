using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// What the harness's reference analyzers share: one enabled descriptor that is never reported (an analyzer whose every
/// descriptor is disabled could be skipped by the driver, and then it would not measure the harness at all), concurrent
/// execution, generated code skipped as DmaSafe does; each variant registers its own actions in <see cref="Register"/>.
/// </summary>
// Handed to CompilationWithAnalyzers in-process only, never loaded by a compiler nor shipped: the rules for analyzer
// assemblies (netstandard2.0, extended rules, release tracking, constant ids: each variant passes its own) do not
// apply to this benchmark host.
#pragma warning disable RS1041, RS1036, RS2008, RS1017
public abstract class NoOpAnalyzer(string id) : DiagnosticAnalyzer
{
    private readonly DiagnosticDescriptor _never = new(id, "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(_never);

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        Register(context);
    }

    /// <summary>Registers the variant's actions, if any.</summary>
    protected abstract void Register(AnalysisContext context);
}
#pragma warning restore RS1041, RS1036, RS2008, RS1017
