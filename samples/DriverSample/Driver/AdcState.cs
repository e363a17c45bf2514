using DmaSafe;

namespace DriverSample.Driver;

/// <summary>
/// The driver's state as first written, in the style of many IIO drivers before the 2022 "Fix alignment for DMA
/// safety" series: the DMA buffers sit between CPU-owned fields. <see cref="Samples"/> spans bytes [12, 140): it
/// shares cache line 0 with the lock, the channel and the command, and line 1 with the statistics.
/// DmaSafe reports DMA001 on <see cref="Samples"/>.
/// </summary>
public unsafe struct AdcState : IAdcState<AdcState>
{
    public AdcBookkeeping Bookkeeping;

    /// <summary>Start bit, single-ended flag and channel (MCP3208 style). Only ever mapped ToDevice: sharing is harmless.</summary>
    [DmaBuffer]
    public fixed byte Command[4];

    /// <summary>A burst of 64 12-bit conversions, written by the ADC through the SPI controller's DMA.</summary>
    [DmaBuffer]
    public fixed ushort Samples[64];

    public AdcStatistics Statistics;

    static byte* IAdcState<AdcState>.Command(AdcState* state) => state->Command;

    static ushort* IAdcState<AdcState>.Samples(AdcState* state) => state->Samples;

    static DmaAddress IAdcState<AdcState>.MapCommand(DmaDevice spi, AdcState* state) =>
        spi.MapSingle(state->Command, 4, DmaDirection.ToDevice);

    static DmaAddress IAdcState<AdcState>.MapSamples(DmaDevice spi, AdcState* state) =>
        spi.MapSingle(state->Samples, 64 * sizeof(ushort), DmaDirection.FromDevice);

    static ref AdcBookkeeping IAdcState<AdcState>.Bookkeeping(AdcState* state) => ref state->Bookkeeping;

    static ref AdcStatistics IAdcState<AdcState>.Statistics(AdcState* state) => ref state->Statistics;
}
