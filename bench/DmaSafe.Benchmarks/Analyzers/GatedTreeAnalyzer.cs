using System.Collections.Generic;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// What the floor variants share with DmaSafe's block rules: per tree, the text search and the syntax scan that decide
/// which trees hold candidate calls, then the variant's own reading of those candidates.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
public abstract class GatedTreeAnalyzer(string id) : NoOpAnalyzer(id)
{
    /// <inheritdoc />
    protected sealed override void Register(AnalysisContext context)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null)
            {
                return;
            }

            start.RegisterSemanticModelAction(model =>
            {
                var names = symbols.CallNames(model.CancellationToken);
                var tree = model.SemanticModel.SyntaxTree;
                if (!names.MayBeCalledIn(tree.GetText(model.CancellationToken).ToString()))
                {
                    return;
                }

                var candidates = CodeBlockScan.Of(tree.GetRoot(model.CancellationToken), names);
                if (candidates.Count > 0)
                {
                    ReadCandidates(model.SemanticModel, candidates, model.CancellationToken);
                }
            });
        });
    }

    /// <summary>The variant's reading of a tree's candidate calls (the result is dropped).</summary>
    private protected abstract void ReadCandidates(SemanticModel model, List<CodeBlockScan.Candidate> candidates, CancellationToken cancellation);
}
#pragma warning restore RS1041, RS1036, RS2008
