using System;

namespace DmaSafe;

/// <summary>Allocation flags, after Linux's <c>gfp_t</c>.</summary>
[Flags]
public enum Gfp
{
    /// <summary>An ordinary allocation (<c>GFP_KERNEL</c>).</summary>
    Kernel = 0,

    /// <summary>The caller cannot sleep (<c>GFP_ATOMIC</c>); the simulator treats it like <see cref="Kernel"/>.</summary>
    Atomic = 1,

    /// <summary>Zero the memory (<c>__GFP_ZERO</c>, what <c>kzalloc</c> adds).</summary>
    Zero = 2,

    /// <summary>
    /// "Marking the allocation": start on a <see cref="MachineOptions.DmaMinAlign"/> boundary and round the size up
    /// to it, so the object owns every cache line it touches and its mappings never need to bounce.
    /// </summary>
    DmaAligned = 4,
}
