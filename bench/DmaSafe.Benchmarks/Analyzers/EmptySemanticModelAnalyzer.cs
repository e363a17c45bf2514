using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// The semantic-model floor: an analyzer with a per-file semantic-model action that does nothing. The driver then
/// processes the compiler's events and hands each file's semantic model to the action, but nothing is bound: the floor
/// of the design DmaSafe's block rules use (one semantic-model action per file, bodies bound only where a sink may be
/// called), against which DmaSafe's own work shows apart from what merely registering such an action costs.
/// </summary>
// Same as EmptyAnalyzer: in-process benchmark analyzer only.
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptySemanticModelAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "EMPTY005", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSemanticModelAction(static _ => { });
    }
}
#pragma warning restore RS1041, RS1036, RS2008
