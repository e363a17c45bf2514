using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DmaSafe.CodeFixes.Common;

/// <summary>
/// What every fix does after its edit: adds the usings that annotated fully qualified names need
/// (<c>using DmaSafe;</c>, <c>using System.Runtime.InteropServices;</c>), shortens those names, and formats only the
/// nodes the fix created, so the user's own formatting and comments stay as they were.
/// </summary>
internal static class DocumentCleanup
{
    public static async Task<Document> RunAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
