namespace DmaSafe;

/// <summary>When a streaming DMA mapping goes through the swiotlb bounce pool instead of the buffer itself.</summary>
public enum BouncePolicy
{
    /// <summary>Never bounce: what kernels before 6.5 relied on, with every kmalloc 128-byte aligned.</summary>
    Never,

    /// <summary>
    /// Linux 6.5's size-only rule (<c>dma_kmalloc_needs_bounce</c>): bounce a non-coherent, inbound mapping whose
    /// size is under 2 × DmaMinAlign and whose kmalloc size class is not a multiple of the line. Blind to buffers
    /// embedded in larger objects.
    /// </summary>
    KmallocSize,

    /// <summary>
    /// Judge the real start and end: bounce a non-coherent, inbound mapping when a cache line it covers only partly
    /// holds bytes that anyone else may write during the transfer. The default.
    /// </summary>
    Alignment,

    /// <summary>Bounce every mapping, on every device (<c>swiotlb=force</c>).</summary>
    Always,
}
