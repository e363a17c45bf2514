using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The semantic-model floor: an analyzer with a per-file semantic-model action that does nothing. The driver then
/// processes the compiler's events and hands each file's semantic model to the action, but nothing is bound: the floor
/// of the design DmaSafe's block rules use (one semantic-model action per file, bodies bound only where a sink may be
/// called), against which DmaSafe's own work shows apart from what merely registering such an action costs.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptySemanticModelAnalyzer() : NoOpAnalyzer("EMPTY005")
{
    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterSemanticModelAction(static _ => { });
    }
}
#pragma warning restore RS1041, RS1036, RS2008
