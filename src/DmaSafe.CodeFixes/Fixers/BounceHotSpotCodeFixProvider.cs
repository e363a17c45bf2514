using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DmaSafe.Analyzers;
using DmaSafe.CodeFixes.Actions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DmaSafe.CodeFixes.Fixers;

/// <summary>
/// DMA004: at an allocation site "Mark the allocation DMA-aligned" (recommended, first); anywhere "Accept bouncing here".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BounceHotSpotCodeFixProvider))]
[Shared]
public sealed class BounceHotSpotCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BounceHotSpot);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => AllocationFixes.FixAll;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context) => AllocationFixes.RegisterAsync(context);
}
