namespace DmaSafe.Analyzers;

/// <summary>The rule IDs (fixed by the architecture; never renumber or reuse one).</summary>
internal static class DiagnosticIds
{
    /// <summary>A DMA buffer field shares a cache line with other data, or its struct is not allocated on line boundaries.</summary>
    public const string BufferSharesCacheLine = "DMA001";

    /// <summary>A kmalloc'd buffer mapped for DMA sits in a size class that is not line-aligned, so its mappings bounce.</summary>
    public const string KmallocNotLineAligned = "DMA002";

    /// <summary>Stack memory (stackalloc, the address of a local, a local struct's buffer) reaches a DMA sink.</summary>
    public const string StackMemoryToDevice = "DMA003";

    /// <summary>A bounce hot spot recorded in a <c>*.dmabounces.json</c> profile.</summary>
    public const string BounceHotSpot = "DMA004";

    /// <summary>A mapping's result is used on a path where <c>MappingError</c> was not checked.</summary>
    public const string UncheckedMapping = "DMA005";

    /// <summary>A parameter flows into a DMA sink but is not marked <c>[DmaBuffer]</c>.</summary>
    public const string UnmarkedSinkParameter = "DMA006";

    /// <summary>A DmaSafe option or bounce profile could not be used as written (the analyzers fall back to defaults).</summary>
    public const string InvalidConfiguration = "DMA900";
}
