using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DmaSafe.Analyzers;
using DmaSafe.CodeFixes.Actions;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DmaSafe.CodeFixes.Fixers;

/// <summary>DMA002: "Mark the allocation DMA-aligned" (recommended, first) and "Accept bouncing here".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KmallocNotLineAlignedCodeFixProvider))]
[Shared]
public sealed class KmallocNotLineAlignedCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.KmallocNotLineAligned);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => AllocationFixes.FixAll;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context) => AllocationFixes.RegisterAsync(context);
}
