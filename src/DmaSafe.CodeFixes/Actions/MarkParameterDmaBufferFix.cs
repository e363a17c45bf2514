using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.CodeFixes.Actions;

/// <summary>"Mark parameter [DmaBuffer]" (DMA006): the method becomes a DMA sink, so callers' buffers are checked.</summary>
internal static class MarkParameterDmaBufferFix
{
    public static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (await DiagnosticNodes.LoadAsync(document, cancellationToken).ConfigureAwait(false) is not var (root, model))
        {
            return document;
        }

        var symbols = DmaSymbols.TryCreate(model.Compilation, document.Project.AnalyzerOptions);
        var targets = new HashSet<ParameterSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (DiagnosticNodes.Find(root, diagnostic)?.AncestorsAndSelf().OfType<ParameterSyntax>().FirstOrDefault() is { } parameter
                && model.GetDeclaredSymbol(parameter, cancellationToken) is { } symbol
                && !(symbols?.IsDmaBuffer(symbol) ?? false))
            {
                targets.Add(parameter);
            }
        }

        if (targets.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(targets, (_, rewritten) => AttributeAdder.Add(rewritten, SyntaxFactory.Attribute(Names.DmaSafe("DmaBuffer"))));
        return await DocumentCleanup.RunAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
    }
}
