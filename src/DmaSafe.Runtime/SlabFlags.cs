using System;

namespace DmaSafe;

/// <summary>Flags for <see cref="Machine.CreateCache"/>, after Linux's <c>slab_flags_t</c>.</summary>
[Flags]
public enum SlabFlags
{
    /// <summary>No special behaviour.</summary>
    None = 0,

    /// <summary>
    /// Align objects to the L1 cache line (<c>SLAB_HWCACHE_ALIGN</c>), halved while the object fits in half of it.
    /// The L1 line (64) is smaller than the DMA line, so this never gives a buffer a DMA line of its own.
    /// </summary>
    HwCacheAlign = 1,
}
