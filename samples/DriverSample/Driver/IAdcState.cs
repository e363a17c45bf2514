using DmaSafe;

namespace DriverSample.Driver;

/// <summary>
/// What the driver needs from its state struct. The driver is generic over it only so the demo can run the struct as
/// written and the DMA001-fixed copy through identical code; each accessor is a plain field access.
/// </summary>
public unsafe interface IAdcState<TSelf>
    where TSelf : unmanaged, IAdcState<TSelf>
{
    /// <summary>The SPI command the ADC reads.</summary>
    static abstract byte* Command(TSelf* state);

    /// <summary>The burst of samples the ADC writes.</summary>
    static abstract ushort* Samples(TSelf* state);

    /// <summary>Maps the command for the controller to read (ToDevice). The caller checks MappingError.</summary>
    static abstract DmaAddress MapCommand(DmaDevice spi, TSelf* state);

    /// <summary>Maps the sample buffer for the controller to fill (FromDevice). The caller checks MappingError.</summary>
    static abstract DmaAddress MapSamples(DmaDevice spi, TSelf* state);

    /// <summary>CPU-owned bookkeeping the driver updates while a transfer is in flight.</summary>
    static abstract ref AdcBookkeeping Bookkeeping(TSelf* state);

    /// <summary>CPU-owned fields after the sample buffer, updated while a transfer is in flight.</summary>
    static abstract ref AdcStatistics Statistics(TSelf* state);
}

/// <summary>Fields the driver keeps before its buffers: a lock word and the selected channel.</summary>
public struct AdcBookkeeping
{
    public int Lock;
    public int Channel;
}

/// <summary>Fields the driver keeps after its buffers: counters updated from the "interrupt handler".</summary>
public struct AdcStatistics
{
    public uint Transfers;
    public int LastAverage;
}
