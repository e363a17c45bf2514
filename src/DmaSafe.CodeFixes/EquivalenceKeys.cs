namespace DmaSafe.CodeFixes;

/// <summary>
/// Stable equivalence keys, one per kind of fix: Fix All groups by them and <c>dotnet format</c> applies the first
/// action of each diagnostic, so they never carry field names or positions.
/// </summary>
internal static class EquivalenceKeys
{
    /// <summary>DMA001: pad (or offset) the buffer onto cache lines of its own and mark the root struct [DmaAligned].</summary>
    public const string GiveBufferOwnLines = "DmaSafe.GiveBufferOwnLines";

    /// <summary>DMA001/DMA002/DMA004: add [DmaBounceOk("…")] at the narrowest scope.</summary>
    public const string AcceptBouncing = "DmaSafe.AcceptBouncing";

    /// <summary>DMA002/DMA004: add Gfp.DmaAligned to the allocation's flags.</summary>
    public const string MarkAllocationDmaAligned = "DmaSafe.MarkAllocationDmaAligned";

    /// <summary>DMA005: check MappingError right after the mapping.</summary>
    public const string CheckMappingError = "DmaSafe.CheckMappingError";

    /// <summary>DMA006: mark the parameter [DmaBuffer].</summary>
    public const string MarkParameterDmaBuffer = "DmaSafe.MarkParameterDmaBuffer";
}
