using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace DmaSafe.CodeFixes.Common;

/// <summary>Finds the syntax a diagnostic points at.</summary>
internal static class DiagnosticNodes
{
    /// <summary>The innermost node covering the diagnostic's span in <paramref name="root"/>, or null when it lies elsewhere.</summary>
    public static SyntaxNode? Find(SyntaxNode root, Diagnostic diagnostic)
    {
        var location = diagnostic.Location;
        if (!location.IsInSource || location.SourceTree != root.SyntaxTree || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        return root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
    }

    /// <summary>The document's root and semantic model, or null when either is unavailable.</summary>
    public static async Task<(SyntaxNode Root, SemanticModel Model)?> LoadAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return root is null || model is null ? null : (root, model);
    }
}
