using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The code-block floor: an analyzer with a code-block action that does nothing. The driver then works out every
/// member's declaration and executable blocks and calls the action once per block, but binds nothing: the floor of any
/// code-block-based analyzer. DmaSafe's block rules were one (five of them) and measured at about this floor, which is
/// why they now read each tree once through a semantic-model action instead.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyCodeBlockAnalyzer() : NoOpAnalyzer("EMPTY003")
{
    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterCodeBlockAction(static _ => { });
    }
}
#pragma warning restore RS1041, RS1036, RS2008
