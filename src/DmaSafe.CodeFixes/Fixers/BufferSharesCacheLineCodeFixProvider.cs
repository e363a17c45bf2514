using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using DmaSafe.Analyzers;
using DmaSafe.CodeFixes.Actions;
using DmaSafe.CodeFixes.Common;
using DmaSafe.CodeFixes.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.CodeFixes.Fixers;

/// <summary>
/// DMA001: "Give '&lt;field&gt;' its own DMA cache lines" (recommended, first) and "Accept bouncing here".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BufferSharesCacheLineCodeFixProvider))]
[Shared]
public sealed class BufferSharesCacheLineCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BufferSharesCacheLine);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => PerDocumentFixAll.Create(key => key switch
    {
        EquivalenceKeys.GiveBufferOwnLines => BufferOwnLinesFix.ApplyAsync,
        EquivalenceKeys.AcceptBouncing => AcceptBouncingFix.ApplyAsync,
        _ => null,
    });

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var field = DiagnosticNodes.Find(root, diagnostic)?.AncestorsAndSelf().OfType<VariableDeclaratorSyntax>().FirstOrDefault();
            if (field is null)
            {
                continue;
            }

            await FixRegistration.RegisterAsync(
                context,
                diagnostic,
                $"Give '{field.Identifier.ValueText}' its own DMA cache lines",
                EquivalenceKeys.GiveBufferOwnLines,
                BufferOwnLinesFix.ApplyAsync).ConfigureAwait(false);
            await FixRegistration.RegisterAsync(context, diagnostic, "Accept bouncing here", EquivalenceKeys.AcceptBouncing, AcceptBouncingFix.ApplyAsync).ConfigureAwait(false);
        }
    }
}
