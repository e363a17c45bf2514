using System.Runtime.InteropServices;
using DmaSafe;

namespace DriverSample.Driver;

/// <summary>
/// The same fields after DmaSafe's DMA001 fix ("Give 'Samples' its own DMA cache lines", as `dotnet format analyzers`
/// applies it): no field reordered or retyped, explicit offsets that put <see cref="Samples"/> on 128-byte lines of its
/// own, and [DmaAligned] so kmalloc puts the struct on a line boundary. The kernel idiom
/// (__aligned(ARCH_DMA_MINALIGN)) in C# terms. <see cref="Command"/> stays where it was: it is only ever mapped
/// ToDevice, and sharing a line is harmless for a buffer the device only reads.
/// </summary>
// DMA001: explicit offsets give 'Samples' 128-byte DMA cache lines of its own; keep other fields off those lines.
[DmaAligned]
[StructLayout(LayoutKind.Explicit, Size = 384)]
public unsafe struct AdcStateFixed : IAdcState<AdcStateFixed>
{
    [FieldOffset(0)] public AdcBookkeeping Bookkeeping;

    [FieldOffset(8)]
    [DmaBuffer]
    public fixed byte Command[4];

    [FieldOffset(128)]
    [DmaBuffer]
    public fixed ushort Samples[64];

    [FieldOffset(256)] public AdcStatistics Statistics;

    static byte* IAdcState<AdcStateFixed>.Command(AdcStateFixed* state) => state->Command;

    static ushort* IAdcState<AdcStateFixed>.Samples(AdcStateFixed* state) => state->Samples;

    static DmaAddress IAdcState<AdcStateFixed>.MapCommand(DmaDevice spi, AdcStateFixed* state) =>
        spi.MapSingle(state->Command, 4, DmaDirection.ToDevice);

    static DmaAddress IAdcState<AdcStateFixed>.MapSamples(DmaDevice spi, AdcStateFixed* state) =>
        spi.MapSingle(state->Samples, 64 * sizeof(ushort), DmaDirection.FromDevice);

    static ref AdcBookkeeping IAdcState<AdcStateFixed>.Bookkeeping(AdcStateFixed* state) => ref state->Bookkeeping;

    static ref AdcStatistics IAdcState<AdcStateFixed>.Statistics(AdcStateFixed* state) => ref state->Statistics;
}
