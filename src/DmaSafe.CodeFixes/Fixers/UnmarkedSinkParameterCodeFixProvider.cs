using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DmaSafe.Analyzers;
using DmaSafe.CodeFixes.Actions;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DmaSafe.CodeFixes.Fixers;

/// <summary>DMA006: "Mark parameter [DmaBuffer]".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnmarkedSinkParameterCodeFixProvider))]
[Shared]
public sealed class UnmarkedSinkParameterCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnmarkedSinkParameter);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        PerDocumentFixAll.Create(key => key == EquivalenceKeys.MarkParameterDmaBuffer ? MarkParameterDmaBufferFix.ApplyAsync : null);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            await FixRegistration.RegisterAsync(context, diagnostic, "Mark parameter [DmaBuffer]", EquivalenceKeys.MarkParameterDmaBuffer, MarkParameterDmaBufferFix.ApplyAsync).ConfigureAwait(false);
        }
    }
}
