using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using DmaSafe;

namespace DmaSafe.Benchmarks;

/// <summary>
/// Streaming map+unmap of an aligned 4 KiB FromDevice buffer (dma-debug on, as by default, so MappingError is
/// called as a driver must) against the copies the model cannot avoid: the clean at map writes the 4 KiB back to
/// the RAM view and the invalidate at unmap refills it. Target ≤ 1.3× that floor (Buffer.MemoryCopy, the baseline);
/// a coherent device's pair &lt; 50 ns. A second floor makes the same copies the way the model does, to show the
/// fixed cost apart from how fast the copy routine is.
/// Run with dma-debug on (the default) and off, to show what the checks cost.
/// </summary>
[MemoryDiagnoser]
public unsafe class DmaMapBenchmarks
{
    private const int Size = 4096;
    private Machine _machine = null!;
    private DmaDevice _nonCoherent = null!;
    private DmaDevice _coherent = null!;
    private void* _buffer;
    private byte* _floorCpu;
    private byte* _floorRam;

    /// <summary>dma-debug on (the machine's default) or off.</summary>
    [Params(true, false)]
    public bool DebugChecks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine(new MachineOptions { DebugChecks = DebugChecks });
        _nonCoherent = _machine.AddDevice("dma");
        _coherent = _machine.AddDevice("pcie", coherent: true);
        _buffer = _machine.Kzalloc(Size);
        _floorCpu = (byte*)NativeMemory.AlignedAlloc(Size, 4096);
        _floorRam = (byte*)NativeMemory.AlignedAlloc(Size, 4096);
        new Span<byte>(_floorCpu, Size).Fill(1);
        new Span<byte>(_floorRam, Size).Fill(2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _machine.Kfree(_buffer);
        _machine.Dispose();
        NativeMemory.AlignedFree(_floorCpu);
        NativeMemory.AlignedFree(_floorRam);
    }

    [Benchmark(Baseline = true, Description = "copy floor: 2 x 4 KiB MemoryCopy")]
    public void CopyFloor()
    {
        Buffer.MemoryCopy(_floorCpu, _floorRam, Size, Size);
        Buffer.MemoryCopy(_floorRam, _floorCpu, Size, Size);
    }

    /// <summary>
    /// The same copies as the model makes them (<c>ModelCopy</c>: in 2 KiB pieces, which keep Buffer.MemoryCopy in
    /// its managed loop instead of the C library's memmove): what the fixed cost of a pair sits on top of.
    /// </summary>
    [Benchmark(Description = "copy floor, model's routine: 2 x 4 KiB in 2 KiB pieces")]
    public void CopyFloorModelRoutine()
    {
        ModelCopy.Copy(_floorCpu, _floorRam, Size);
        ModelCopy.Copy(_floorRam, _floorCpu, Size);
    }

    [Benchmark(Description = "map+unmap 4 KiB FromDevice, non-coherent")]
    public bool MapUnmapNonCoherent()
    {
        var handle = _nonCoherent.MapSingle(_buffer, Size, DmaDirection.FromDevice);
        var failed = _nonCoherent.MappingError(handle);
        _nonCoherent.UnmapSingle(handle, Size, DmaDirection.FromDevice);
        return failed;
    }

    [Benchmark(Description = "map+unmap 4 KiB FromDevice, coherent")]
    public bool MapUnmapCoherent()
    {
        var handle = _coherent.MapSingle(_buffer, Size, DmaDirection.FromDevice);
        var failed = _coherent.MappingError(handle);
        _coherent.UnmapSingle(handle, Size, DmaDirection.FromDevice);
        return failed;
    }
}
