namespace DmaSafe;

/// <summary>The direction of a DMA transfer; the values are Linux's <c>enum dma_data_direction</c>.</summary>
public enum DmaDirection
{
    /// <summary>The device reads and writes the buffer (<c>DMA_BIDIRECTIONAL</c>).</summary>
    Bidirectional = 0,

    /// <summary>The device only reads the buffer (<c>DMA_TO_DEVICE</c>).</summary>
    ToDevice = 1,

    /// <summary>The device only writes the buffer (<c>DMA_FROM_DEVICE</c>).</summary>
    FromDevice = 2,

    /// <summary>No transfer; for debugging only (<c>DMA_NONE</c>), rejected by every map call.</summary>
    None = 3,
}
