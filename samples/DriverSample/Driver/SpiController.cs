using System;
using DmaSafe;

namespace DriverSample.Driver;

/// <summary>
/// The hardware side: a SPI controller with DMA that clocks the command out of memory and the ADC's conversions into
/// memory. It only ever touches RAM through bus addresses, as a non-coherent DMA master does.
/// </summary>
public sealed class SpiController
{
    public SpiController(DmaDevice device) => Device = device;

    public DmaDevice Device { get; }

    /// <summary>Phase 1 of a transfer: the controller reads the command and returns the channel it selects.</summary>
    public int ClockOutCommand(DmaAddress command)
    {
        Span<byte> bytes = stackalloc byte[4];
        Device.DeviceRead(command, bytes);
        if ((bytes[0] & 0x04) == 0)
        {
            throw new InvalidOperationException($"The ADC saw no start bit in command {Convert.ToHexString(bytes)}.");
        }

        return ((bytes[0] & 0x01) << 2) | (bytes[1] >> 6);
    }

    /// <summary>Phase 2: the conversions arrive and the controller writes them to the sample buffer.</summary>
    public void ClockInSamples(DmaAddress samples, ReadOnlySpan<ushort> conversions) =>
        Device.DeviceWrite(samples, System.Runtime.InteropServices.MemoryMarshal.AsBytes(conversions));
}
