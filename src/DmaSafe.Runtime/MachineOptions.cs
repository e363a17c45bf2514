using System;

namespace DmaSafe;

/// <summary>
/// The shape of a simulated machine. Defaults model arm64 on Linux ≥ 6.5: 128-byte DMA lines, 8-byte kmalloc
/// minimum alignment (small kmallocs stay small because bouncing exists), 4 KiB pages.
/// </summary>
public sealed partial record MachineOptions
{
    /// <summary>The coherency granule (<c>ARCH_DMA_MINALIGN</c>): a power of two, 16 … PageSize. Default 128.</summary>
    public int DmaMinAlign { get; init; } = 128;

    /// <summary>The smallest alignment kmalloc guarantees (<c>ARCH_KMALLOC_MINALIGN</c>): a power of two, 8 … DmaMinAlign. Default 8.</summary>
    public int KmallocMinAlign { get; init; } = 8;

    /// <summary>The L1 cache line that <see cref="SlabFlags.HwCacheAlign"/> aligns to (<c>cache_line_size()</c>): a power of two ≤ DmaMinAlign. Default 64.</summary>
    public int L1CacheLineSize { get; init; } = 64;

    /// <summary>The page size: a power of two, 4096 … 65536. Default 4096.</summary>
    public int PageSize { get; init; } = 4096;

    /// <summary>Bytes of simulated RAM (the native arena kmalloc and the page allocator carve up). Default 64 MiB.</summary>
    public long MemoryBytes { get; init; } = 64L << 20;

    /// <summary>Bytes of swiotlb bounce pool, in 2 KiB slots; 0 means no pool, so mappings that need a bounce fail. Default 4 MiB.</summary>
    public long SwiotlbBytes { get; init; } = 4L << 20;

    /// <summary>When streaming mappings bounce. Default <see cref="DmaSafe.BouncePolicy.Alignment"/>.</summary>
    public BouncePolicy BouncePolicy { get; init; } = BouncePolicy.Alignment;

    /// <summary>When dirty cache lines are written back on their own. Default <see cref="EvictionPolicy.None"/>.</summary>
    public EvictionPolicy Eviction { get; init; } = EvictionPolicy.None;

    /// <summary>Seed of every random choice the model makes (random eviction), so runs repeat exactly.</summary>
    public int Seed { get; init; }

    /// <summary>dma-debug style checks on every DMA API call (<c>CONFIG_DMA_API_DEBUG</c>). Default true.</summary>
    public bool DebugChecks { get; init; } = true;

    /// <summary>
    /// What a dma-debug violation does: throw a <see cref="DmaApiMisuseException"/> (default), or only record it in
    /// <see cref="Machine.DebugViolations"/> so a test can look at all of them at the end.
    /// </summary>
    public DebugViolationAction OnDebugViolation { get; init; } = DebugViolationAction.Throw;

    /// <summary>
    /// Invalidate partly covered lines without cleaning them first, as some non-arm64 architectures do. This turns a
    /// shared line into the second hazard (the CPU's writes to a neighbour are discarded). Default false (arm64).
    /// </summary>
    public bool InvalidatePartialLinesWithoutClean { get; init; }

    /// <summary>Record a full stack trace with every allocation and mapping (slow; the debug mode). Default false.</summary>
    public bool CaptureStackTraces { get; init; }

    internal static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot describe a machine.</summary>
    internal void Validate()
    {
        if (!IsPowerOfTwo(PageSize) || PageSize < 4096 || PageSize > 65536)
        {
            throw new ArgumentException($"PageSize must be a power of two from 4096 to 65536, not {PageSize}.", nameof(PageSize));
        }

        if (!IsPowerOfTwo(DmaMinAlign) || DmaMinAlign < 16 || DmaMinAlign > PageSize)
        {
            throw new ArgumentException($"DmaMinAlign must be a power of two from 16 to PageSize ({PageSize}), not {DmaMinAlign}.", nameof(DmaMinAlign));
        }

        if (!IsPowerOfTwo(KmallocMinAlign) || KmallocMinAlign < 8 || KmallocMinAlign > DmaMinAlign)
        {
            throw new ArgumentException($"KmallocMinAlign must be a power of two from 8 to DmaMinAlign ({DmaMinAlign}), not {KmallocMinAlign}.", nameof(KmallocMinAlign));
        }

        if (!IsPowerOfTwo(L1CacheLineSize) || L1CacheLineSize < 8 || L1CacheLineSize > DmaMinAlign)
        {
            throw new ArgumentException($"L1CacheLineSize must be a power of two from 8 to DmaMinAlign ({DmaMinAlign}), not {L1CacheLineSize}.", nameof(L1CacheLineSize));
        }

        if (MemoryBytes < 16L * PageSize || MemoryBytes % PageSize != 0 || MemoryBytes > (1L << 40))
        {
            throw new ArgumentException($"MemoryBytes must be a multiple of PageSize, at least 16 pages and at most 1 TiB, not {MemoryBytes}.", nameof(MemoryBytes));
        }

        if (SwiotlbBytes < 0 || SwiotlbBytes % 2048 != 0 || SwiotlbBytes > (1L << 32))
        {
            throw new ArgumentException($"SwiotlbBytes must be a multiple of the 2048-byte slot from 0 to 4 GiB, not {SwiotlbBytes}.", nameof(SwiotlbBytes));
        }

        if (!Enum.IsDefined(BouncePolicy))
        {
            throw new ArgumentException($"BouncePolicy {(int)BouncePolicy} is not a defined value.", nameof(BouncePolicy));
        }

        if (!Enum.IsDefined(Eviction))
        {
            throw new ArgumentException($"Eviction {(int)Eviction} is not a defined value.", nameof(Eviction));
        }

        ValidateTelemetry();
    }
}

/// <summary>What a dma-debug violation does.</summary>
public enum DebugViolationAction
{
    /// <summary>Throw a <see cref="DmaApiMisuseException"/> from the offending call.</summary>
    Throw,

    /// <summary>Record it in <see cref="Machine.DebugViolations"/> and carry on where the model can.</summary>
    Record,
}
