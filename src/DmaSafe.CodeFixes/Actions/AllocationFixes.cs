using System.Threading.Tasks;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DmaSafe.CodeFixes.Actions;

/// <summary>
/// The two fixes DMA002 and DMA004 share: mark the allocation (offered only where the diagnostic is at a
/// Kmalloc/Kzalloc call) and accept bouncing.
/// </summary>
internal static class AllocationFixes
{
    public static FixAllProvider FixAll { get; } = PerDocumentFixAll.Create(key => key switch
    {
        EquivalenceKeys.MarkAllocationDmaAligned => MarkAllocationDmaAlignedFix.ApplyAsync,
        EquivalenceKeys.AcceptBouncing => AcceptBouncingFix.ApplyAsync,
        _ => null,
    });

    public static async Task RegisterAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            await FixRegistration.RegisterAsync(context, diagnostic, "Mark the allocation DMA-aligned", EquivalenceKeys.MarkAllocationDmaAligned, MarkAllocationDmaAlignedFix.ApplyAsync).ConfigureAwait(false);
            await FixRegistration.RegisterAsync(context, diagnostic, "Accept bouncing here", EquivalenceKeys.AcceptBouncing, AcceptBouncingFix.ApplyAsync).ConfigureAwait(false);
        }
    }
}
