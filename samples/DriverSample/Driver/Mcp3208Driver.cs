using System;
using DmaSafe;

namespace DriverSample.Driver;

/// <summary>The outcome of one burst read.</summary>
/// <param name="Completed">False when a mapping failed (the swiotlb pool was full); the driver retries later.</param>
/// <param name="SampleBytesCorrupted">Bytes of the burst that differ from what the ADC sent.</param>
/// <param name="CpuBytesLost">Bytes of CPU-owned fields whose writes did not survive the transfer.</param>
public readonly record struct BurstResult(bool Completed, int SampleBytesCorrupted, int CpuBytesLost);

/// <summary>
/// A driver for an MCP3208-style 8-channel 12-bit SPI ADC, in the shape of Linux's drivers/iio/adc/mcp320x.c: one
/// kzalloc'd state struct holding CPU bookkeeping and the DMA buffers, burst reads through a DMA-capable SPI controller.
/// </summary>
public sealed unsafe class Mcp3208Driver<TState> : IDisposable
    where TState : unmanaged, IAdcState<TState>
{
    public const int BurstLength = 64;

    private readonly Machine _machine;
    private readonly SpiController _spi;
    private TState* _state;

    public Mcp3208Driver(Machine machine, SpiController spi)
    {
        _machine = machine;
        _spi = spi;
        _state = machine.Kzalloc<TState>();
        if (_state == null)
        {
            throw new InvalidOperationException("Probe failed: no memory for the ADC state.");
        }
    }

    /// <summary>The state's address, for the demo's layout view.</summary>
    public TState* State => _state;

    /// <summary>
    /// Reads a burst of conversions from <paramref name="channel"/>. <paramref name="conversions"/> is what the ADC
    /// will send; while the transfer is in flight the "interrupt handler" updates the statistics next to the buffer.
    /// </summary>
    public BurstResult ReadBurst(int channel, ReadOnlySpan<ushort> conversions)
    {
        ref var bookkeeping = ref TState.Bookkeeping(_state);
        ref var statistics = ref TState.Statistics(_state);
        bookkeeping.Lock = 1;
        bookkeeping.Channel = channel;
        var command = TState.Command(_state);
        command[0] = (byte)(0x06 | (channel >> 2)); // start bit, single-ended, channel bit 2
        command[1] = (byte)((channel & 3) << 6);
        command[2] = 0;
        command[3] = 0;

        var commandAddress = TState.MapCommand(_spi.Device, _state);
        if (_spi.Device.MappingError(commandAddress))
        {
            bookkeeping.Lock = 0;
            return new BurstResult(false, 0, 0);
        }

        var samplesAddress = TState.MapSamples(_spi.Device, _state);
        if (_spi.Device.MappingError(samplesAddress))
        {
            _spi.Device.UnmapSingle(commandAddress, 4, DmaDirection.ToDevice);
            bookkeeping.Lock = 0;
            return new BurstResult(false, 0, 0);
        }

        var selected = _spi.ClockOutCommand(commandAddress);
        if (selected != channel)
        {
            throw new InvalidOperationException($"The ADC selected channel {selected}, not {channel}.");
        }

        // Transfer-started interrupt: CPU writes next to the buffer while the device owns it. Legal C, and exactly
        // what corrupts a shared cache line on a non-coherent machine.
        var transfers = ++statistics.Transfers;
        statistics.LastAverage = -1;

        _spi.ClockInSamples(samplesAddress, conversions);
        _spi.Device.UnmapSingle(samplesAddress, BurstLength * sizeof(ushort), DmaDirection.FromDevice);
        _spi.Device.UnmapSingle(commandAddress, 4, DmaDirection.ToDevice);

        var samples = TState.Samples(_state);
        var corrupted = 0;
        long sum = 0;
        for (var i = 0; i < BurstLength; i++)
        {
            var got = samples[i];
            corrupted += (got & 0xFF) != (conversions[i] & 0xFF) ? 1 : 0;
            corrupted += (got >> 8) != (conversions[i] >> 8) ? 1 : 0;
            sum += got;
        }

        var lost = (statistics.Transfers != transfers ? sizeof(uint) : 0)
                   + (statistics.LastAverage != -1 ? sizeof(int) : 0)
                   + (bookkeeping.Channel != channel ? sizeof(int) : 0);
        statistics.LastAverage = (int)(sum / BurstLength);
        bookkeeping.Lock = 0;
        return new BurstResult(true, corrupted, lost);
    }

    /// <summary>
    /// Reads the board's 6-byte serial number once at probe, through a small kmalloc buffer. It bounces under the
    /// Alignment policy (kmalloc-8 objects share their line with 15 others), and that is fine for a path this rare.
    /// </summary>
    [DmaBounceOk("read once at probe; a bounce of 6 bytes is cheaper than a dedicated 128-byte allocation")]
    public ulong ReadSerialNumber(ReadOnlySpan<byte> serialInEeprom)
    {
        var buffer = (byte*)_machine.Kmalloc(6);
        if (buffer == null)
        {
            throw new InvalidOperationException("No memory for the serial-number buffer.");
        }

        try
        {
            var address = _spi.Device.MapSingle(buffer, 6, DmaDirection.FromDevice);
            if (_spi.Device.MappingError(address))
            {
                throw new InvalidOperationException("Could not map the serial-number buffer: the swiotlb pool is full.");
            }

            _spi.Device.DeviceWrite(address, serialInEeprom[..6]);
            _spi.Device.UnmapSingle(address, 6, DmaDirection.FromDevice);
            ulong serial = 0;
            for (var i = 0; i < 6; i++)
            {
                serial = (serial << 8) | buffer[i];
            }

            return serial;
        }
        finally
        {
            _machine.Kfree(buffer);
        }
    }

    public void Dispose()
    {
        if (_state != null)
        {
            _machine.Kfree(_state);
            _state = null;
        }
    }
}
