namespace DmaSafe.Analyzers;

/// <summary>
/// Keys of the Properties bag a rule may attach to its diagnostics so the code fixes act on what the rule saw instead
/// of deriving it again. Every key is optional: the fixes fall back to the diagnostic's location and the options.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>
    /// DMA001: documentation-comment IDs (<c>T:Ns.Outer</c>), separated by ';', of the structs that root the access
    /// paths to the buffer (<c>st-&gt;inner.rx</c> roots at <c>Outer</c>). The fix lays the path out from each root down
    /// to the buffer and marks each root <c>[DmaAligned]</c>. Absent: the struct that declares the field is the root.
    /// </summary>
    public const string RootTypes = "DmaSafe.RootTypes";

    /// <summary>The DMA line (<c>dmasafe.dma_minalign</c>) the rule used for this location, as a decimal number.</summary>
    public const string DmaMinAlign = "DmaSafe.DmaMinAlign";
}
