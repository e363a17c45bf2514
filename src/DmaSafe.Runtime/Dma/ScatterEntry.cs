namespace DmaSafe;

/// <summary>
/// One segment of a scatter-gather list (<c>struct scatterlist</c>): the driver fills <see cref="CpuAddress"/> and
/// <see cref="Length"/>; <see cref="DmaDevice.MapSg"/> fills <see cref="DmaAddress"/> and <see cref="DmaLength"/>.
/// </summary>
public unsafe struct ScatterEntry
{
    /// <summary>Creates a segment for <paramref name="length"/> bytes at <paramref name="cpuAddress"/>.</summary>
    public ScatterEntry(void* cpuAddress, nuint length)
    {
        CpuAddress = cpuAddress;
        Length = length;
        DmaAddress = DmaAddress.Error;
        DmaLength = 0;
    }

    /// <summary>The CPU address of the segment's memory.</summary>
    public void* CpuAddress;

    /// <summary>The segment's length in bytes (<c>sg->length</c>).</summary>
    public nuint Length;

    /// <summary>The bus address the device uses, after mapping (<c>sg_dma_address</c>).</summary>
    public DmaAddress DmaAddress;

    /// <summary>The mapped length, after mapping (<c>sg_dma_len</c>).</summary>
    public nuint DmaLength;
}
