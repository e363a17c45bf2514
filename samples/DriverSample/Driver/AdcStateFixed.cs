using System.Runtime.InteropServices;
using DmaSafe;

namespace DriverSample.Driver;

/// <summary>
/// The same fields after DmaSafe's DMA001 fix ("Give 'Samples' its own DMA cache lines"): no field reordered or
/// retyped, padding so <see cref="Samples"/> starts and ends on 128-byte lines, and [DmaAligned] so kmalloc puts the
/// struct on a line boundary. The kernel idiom (__aligned(ARCH_DMA_MINALIGN)) in C# terms.
/// </summary>
[DmaAligned]
[StructLayout(LayoutKind.Sequential, Size = 384)]
public unsafe struct AdcStateFixed : IAdcState<AdcStateFixed>
{
    public AdcBookkeeping Bookkeeping;

    [DmaBuffer]
    public fixed byte Command[4];

    // DMA: pads 'Samples' onto its own 128-byte cache lines so CPU writes to neighbours cannot corrupt a transfer.
    private fixed byte _dmaPadBeforeSamples[116];

    [DmaBuffer]
    public fixed ushort Samples[64];

    public AdcStatistics Statistics;

    static byte* IAdcState<AdcStateFixed>.Command(AdcStateFixed* state) => state->Command;

    static ushort* IAdcState<AdcStateFixed>.Samples(AdcStateFixed* state) => state->Samples;

    static DmaAddress IAdcState<AdcStateFixed>.MapCommand(DmaDevice spi, AdcStateFixed* state) =>
        spi.MapSingle(state->Command, 4, DmaDirection.ToDevice);

    static DmaAddress IAdcState<AdcStateFixed>.MapSamples(DmaDevice spi, AdcStateFixed* state) =>
        spi.MapSingle(state->Samples, 64 * sizeof(ushort), DmaDirection.FromDevice);

    static ref AdcBookkeeping IAdcState<AdcStateFixed>.Bookkeeping(AdcStateFixed* state) => ref state->Bookkeeping;

    static ref AdcStatistics IAdcState<AdcStateFixed>.Statistics(AdcStateFixed* state) => ref state->Statistics;
}
