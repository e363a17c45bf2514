using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The code-block floor: an analyzer with a code-block action that does nothing. The driver then works out every
/// member's declaration and executable blocks and calls the action once per block, but binds nothing: the floor of any
/// code-block-based analyzer. DmaSafe's block rules were one (five of them) and measured at about this floor, which is
/// why they now read each tree once through a semantic-model action instead.
/// </summary>
// Same as EmptyAnalyzer: in-process benchmark analyzer only.
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyCodeBlockAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "EMPTY003", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCodeBlockAction(static _ => { });
    }
}
#pragma warning restore RS1041, RS1036, RS2008
