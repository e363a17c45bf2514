namespace DmaSafe;

/// <summary>One bounce, as the DMA layer reports it to telemetry. Built only on the bounce path.</summary>
/// <param name="Device">The device the mapping is for.</param>
/// <param name="CpuAddress">The start of the original buffer.</param>
/// <param name="Size">The mapping's size in bytes.</param>
/// <param name="Direction">The mapping's direction.</param>
/// <param name="OffsetInLine">The buffer's start modulo <see cref="MachineOptions.DmaMinAlign"/>.</param>
/// <param name="AllocationSite">Where the memory being mapped was allocated (<see cref="SourceSite.Unknown"/> when not a kmalloc object).</param>
/// <param name="MapSite">Where the mapping call was made.</param>
internal readonly record struct BounceEvent(
    DmaDevice Device,
    nuint CpuAddress,
    nuint Size,
    DmaDirection Direction,
    int OffsetInLine,
    SourceSite AllocationSite,
    SourceSite MapSite);
