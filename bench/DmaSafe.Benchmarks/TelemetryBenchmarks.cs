using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using DmaSafe;

namespace DmaSafe.Benchmarks;

/// <summary>
/// What telemetry adds to a bounce: the bounce path's unavoidable work (copying the buffer into its swiotlb slot at
/// map and back out at unmap) alone, and the same with the telemetry hooks the DMA layer calls for a bounced mapping
/// (Mapped + Bounced: profile, counters, EventSource check; no listener attached, reports off). The copy-only baseline
/// is the cheapest a bounce can ever be, so the ratio is an upper bound for the real map+unmap path.
/// </summary>
[MemoryDiagnoser]
public unsafe class TelemetryBenchmarks
{
    private Machine _machine = null!;
    private DmaDevice _device = null!;
    private byte* _buffer;
    private byte* _slot;
    private BounceEvent _bounce;

    /// <summary>Bytes per bounced mapping: a small network header, an ADC sample block, a full slot.</summary>
    [Params(64, 512, 2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine(new MachineOptions { MemoryBytes = 4L << 20, SwiotlbBytes = 256L << 10 });
        _device = _machine.AddDevice("nic0");
        _buffer = (byte*)NativeMemory.AlignedAlloc(4096, 128);
        _slot = (byte*)NativeMemory.AlignedAlloc(4096, 2048);

        // Sites as the compiler passes them: literal (interned) strings, realistic path lengths.
        var allocation = new SourceSite("Probe", "/home/dev/src/drivers/net/FastNic/FastNicDevice.cs", 212);
        var map = new SourceSite("RefillRxRing", "/home/dev/src/drivers/net/FastNic/FastNicRxRing.cs", 87);
        _bounce = new BounceEvent(_device, (nuint)(_buffer + 8), (nuint)Size, DmaDirection.FromDevice, 8, allocation, map);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_buffer);
        NativeMemory.AlignedFree(_slot);
        _machine.Dispose();
    }

    /// <summary>The bounce's copies only: telemetry off.</summary>
    [Benchmark(Baseline = true)]
    public void BounceCopiesOnly()
    {
        Buffer.MemoryCopy(_buffer + 8, _slot, Size, Size);
        Buffer.MemoryCopy(_slot, _buffer + 8, Size, Size);
    }

    /// <summary>The same copies plus the hooks of one bounced mapping: telemetry on.</summary>
    [Benchmark]
    public void BounceCopiesWithTelemetry()
    {
        Buffer.MemoryCopy(_buffer + 8, _slot, Size, Size);
        _machine.Telemetry.Mapped(_device, (nuint)Size, DmaDirection.FromDevice, bounced: true);
        _machine.Telemetry.Bounced(_bounce);
        Buffer.MemoryCopy(_slot, _buffer + 8, Size, Size);
    }

    /// <summary>The hooks alone, for the absolute cost per bounce.</summary>
    [Benchmark]
    public void TelemetryHooksOnly()
    {
        _machine.Telemetry.Mapped(_device, (nuint)Size, DmaDirection.FromDevice, bounced: true);
        _machine.Telemetry.Bounced(_bounce);
    }

    /// <summary>A mapping that did not bounce: all telemetry does is the Mapped counter check.</summary>
    [Benchmark]
    public void MappedHookOnly() => _machine.Telemetry.Mapped(_device, (nuint)Size, DmaDirection.FromDevice, bounced: false);
}
