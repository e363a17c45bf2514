using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DmaSafe.Analyzers;
using DmaSafe.CodeFixes.Actions;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DmaSafe.CodeFixes.Fixers;

/// <summary>DMA005: "Check the mapping error".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UncheckedMappingCodeFixProvider))]
[Shared]
public sealed class UncheckedMappingCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UncheckedMapping);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() =>
        PerDocumentFixAll.Create(key => key == EquivalenceKeys.CheckMappingError ? CheckMappingErrorFix.ApplyAsync : null);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            await FixRegistration.RegisterAsync(context, diagnostic, "Check the mapping error", EquivalenceKeys.CheckMappingError, CheckMappingErrorFix.ApplyAsync).ConfigureAwait(false);
        }
    }
}
