using System;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// A device on the simulated bus and the DMA API drivers call for it (<c>dma_map_single</c> and friends), plus the
/// hardware side of a transfer (<see cref="DeviceWrite"/>, <see cref="DeviceRead"/>) that tests drive.
/// </summary>
public sealed unsafe partial class DmaDevice
{
    internal DmaDevice(Machine machine, string name, bool coherent)
    {
        Machine = machine;
        Name = name;
        Coherent = coherent;
    }

    /// <summary>The device's name, used in every message about it.</summary>
    public string Name { get; }

    /// <summary>True when the device snoops the CPU caches: no maintenance, no hazards, no bouncing unless forced.</summary>
    public bool Coherent { get; }

    /// <summary>The machine the device sits in.</summary>
    public Machine Machine { get; }

    /// <summary>
    /// Maps <paramref name="size"/> bytes at <paramref name="cpuAddress"/> for a streaming transfer (<c>dma_map_single</c>).
    /// Bounces through the swiotlb pool when the machine's <see cref="BouncePolicy"/> says the buffer's lines are not its own.
    /// </summary>
    /// <returns>The bus address to give the device, or <see cref="DmaAddress.Error"/> (check with <see cref="MappingError"/>).</returns>
    public partial DmaAddress MapSingle(
        [DmaBuffer] void* cpuAddress,
        nuint size,
        DmaDirection direction,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0);

    /// <summary>Ends a streaming mapping (<c>dma_unmap_single</c>); size and direction must match the map.</summary>
    public partial void UnmapSingle(DmaAddress address, nuint size, DmaDirection direction);

    /// <summary>Gives the CPU ownership of (part of) a mapping after the device wrote it (<c>dma_sync_single_for_cpu</c>).</summary>
    public partial void SyncSingleForCpu(DmaAddress address, nuint size, DmaDirection direction);

    /// <summary>Gives the device ownership of (part of) a mapping after the CPU wrote it (<c>dma_sync_single_for_device</c>).</summary>
    public partial void SyncSingleForDevice(DmaAddress address, nuint size, DmaDirection direction);

    /// <summary>True when <paramref name="address"/> is the mapping-error value (<c>dma_mapping_error</c>); records that the driver checked.</summary>
    public partial bool MappingError(DmaAddress address);

    /// <summary>
    /// Maps a scatter-gather list (<c>dma_map_sg</c>): fills each entry's bus address and length.
    /// </summary>
    /// <returns>The number of mapped segments, or 0 on failure (nothing stays mapped).</returns>
    public partial int MapSg(
        Span<ScatterEntry> entries,
        DmaDirection direction,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0);

    /// <summary>Unmaps a scatter-gather list (<c>dma_unmap_sg</c>); pass the original entry count, not MapSg's result.</summary>
    public partial void UnmapSg(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction);

    /// <summary>Syncs a mapped scatter-gather list for the CPU (<c>dma_sync_sg_for_cpu</c>).</summary>
    public partial void SyncSgForCpu(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction);

    /// <summary>Syncs a mapped scatter-gather list for the device (<c>dma_sync_sg_for_device</c>).</summary>
    public partial void SyncSgForDevice(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction);

    /// <summary>
    /// Allocates memory both the CPU and the device see coherently (<c>dma_alloc_coherent</c>): no syncs needed,
    /// implicitly bidirectional, aligned to the smallest page order that holds <paramref name="size"/>.
    /// </summary>
    /// <returns>The CPU address, or null when memory is exhausted.</returns>
    public partial void* AllocCoherent(
        nuint size,
        out DmaAddress handle,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0);

    /// <summary>Frees coherent memory (<c>dma_free_coherent</c>) with the same size, CPU address and handle.</summary>
    public partial void FreeCoherent(nuint size, void* cpuAddress, DmaAddress handle);

    /// <summary>The device writes <paramref name="data"/> to RAM at bus address <paramref name="at"/>, bypassing the CPU cache.</summary>
    /// <exception cref="DmaApiMisuseException">The range is not inside one active mapping the device may write.</exception>
    public partial void DeviceWrite(DmaAddress at, ReadOnlySpan<byte> data);

    /// <summary>The device reads RAM at bus address <paramref name="at"/> into <paramref name="destination"/>, bypassing the CPU cache.</summary>
    /// <exception cref="DmaApiMisuseException">The range is not inside one active mapping the device may read.</exception>
    public partial void DeviceRead(DmaAddress at, Span<byte> destination);

    /// <inheritdoc />
    public override string ToString() => Coherent ? $"{Name} (coherent)" : $"{Name} (non-coherent)";
}
