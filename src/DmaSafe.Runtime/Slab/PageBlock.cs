namespace DmaSafe;

/// <summary>What a block of pages from the page allocator is used for.</summary>
internal enum PageBlockKind
{
    /// <summary>A kmalloc above the largest slab class (<c>kmalloc_large</c>).</summary>
    Kmalloc,

    /// <summary>Memory from <c>dma_alloc_coherent</c>.</summary>
    Coherent,
}

/// <summary>A block of 2^order pages handed out whole, with its request and allocation site.</summary>
internal sealed class PageBlock
{
    public PageBlock(PageBlockKind kind, nuint baseAddress, int firstPage, int order, nuint pageSize, nuint requested, SourceSite site, string? stack)
    {
        Kind = kind;
        Base = baseAddress;
        FirstPage = firstPage;
        Order = order;
        Size = pageSize << order;
        Requested = requested;
        Site = site;
        Stack = stack;
    }

    public PageBlockKind Kind { get; }

    public nuint Base { get; }

    public int FirstPage { get; }

    public int Order { get; }

    public nuint Size { get; }

    public nuint Requested { get; }

    public SourceSite Site { get; }

    public string? Stack { get; }

    /// <summary>Set once when the block is freed; later lookups still find it until its pages are reused.</summary>
    public volatile bool Freed;

    public AllocationInfo Describe() =>
        new(Base, Requested, Size, Kind == PageBlockKind.Coherent ? "dma-coherent pages" : "pages", Site, Stack, !Freed);
}
