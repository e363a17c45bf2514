using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DmaSafe.CodeFixes.Common;

/// <summary>
/// Registers a fix only when it changes the document: the fix is computed before it is offered, which checks
/// every precondition (and, for DMA001, the resulting layout) so the light bulb never offers a fix that does nothing.
/// </summary>
internal static class FixRegistration
{
    public static async Task RegisterAsync(CodeFixContext context, Diagnostic diagnostic, string title, string equivalenceKey, DocumentFix fix)
    {
        var document = context.Document;
        var fixedDocument = await fix(document, ImmutableArray.Create(diagnostic), context.CancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(fixedDocument, document))
        {
            return;
        }

        context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(fixedDocument), equivalenceKey), diagnostic);
    }
}
