using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DmaSafe.CodeFixes.Common;

/// <summary>
/// A fix that rewrites one document for any number of its diagnostics at once. Single fixes and Fix All (document,
/// project, solution) both go through it, so two flagged fields of one struct are fixed by one rewrite instead of two
/// competing ones (BatchFixer can silently drop one of them).
/// </summary>
internal delegate Task<Document> DocumentFix(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken);

/// <summary>Builds per-document Fix All providers from <see cref="DocumentFix"/>es keyed by equivalence key.</summary>
internal static class PerDocumentFixAll
{
    /// <summary>
    /// A Fix All provider that applies, per document, the fix whose equivalence key the user picked; documents the
    /// fix leaves unchanged are reported as such (null), never replaced by an identical copy.
    /// </summary>
    public static FixAllProvider Create(Func<string?, DocumentFix?> fixForKey) =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            if (diagnostics.IsEmpty || fixForKey(context.CodeActionEquivalenceKey) is not { } fix)
            {
                return null;
            }

            var fixedDocument = await fix(document, diagnostics, context.CancellationToken).ConfigureAwait(false);
            return ReferenceEquals(fixedDocument, document) ? null : fixedDocument;
        });
}
