using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using DmaSafe;

namespace DmaSafe.Benchmarks;

/// <summary>
/// A bounced 4 KiB FromDevice map+unmap on a non-coherent device (swiotlb forced) against its copy floor: copy-in
/// at map, the clean of the bounce lines, their invalidate at unmap and the copy-out. Target ≤ 1.5× the floor.
/// </summary>
[MemoryDiagnoser]
public unsafe class DmaBounceBenchmarks
{
    private const int Size = 4096;
    private Machine _machine = null!;
    private DmaDevice _device = null!;
    private void* _buffer;
    private byte* _a;
    private byte* _b;
    private byte* _c;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine(new MachineOptions { BouncePolicy = BouncePolicy.Always });
        _device = _machine.AddDevice("dma");
        _buffer = _machine.Kzalloc(Size);
        _a = (byte*)NativeMemory.AlignedAlloc(Size, 4096);
        _b = (byte*)NativeMemory.AlignedAlloc(Size, 4096);
        _c = (byte*)NativeMemory.AlignedAlloc(Size, 4096);
        new Span<byte>(_a, Size).Fill(1);
        new Span<byte>(_b, Size).Fill(2);
        new Span<byte>(_c, Size).Fill(3);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _machine.Kfree(_buffer);
        _machine.Dispose();
        NativeMemory.AlignedFree(_a);
        NativeMemory.AlignedFree(_b);
        NativeMemory.AlignedFree(_c);
    }

    [Benchmark(Baseline = true, Description = "copy floor: 4 x 4 KiB MemoryCopy")]
    public void CopyFloor()
    {
        Buffer.MemoryCopy(_a, _b, Size, Size); // copy-in
        Buffer.MemoryCopy(_b, _c, Size, Size); // clean
        Buffer.MemoryCopy(_c, _b, Size, Size); // invalidate
        Buffer.MemoryCopy(_b, _a, Size, Size); // copy-out
    }

    /// <summary>The same four copies made the way the model makes them (in 2 KiB pieces; see DmaMapBenchmarks).</summary>
    [Benchmark(Description = "copy floor, model's routine: 4 x 4 KiB in 2 KiB pieces")]
    public void CopyFloorModelRoutine()
    {
        ModelCopy.Copy(_a, _b, Size);
        ModelCopy.Copy(_b, _c, Size);
        ModelCopy.Copy(_c, _b, Size);
        ModelCopy.Copy(_b, _a, Size);
    }

    [Benchmark(Description = "bounced map+unmap 4 KiB FromDevice")]
    public bool MapUnmapBounced()
    {
        var handle = _device.MapSingle(_buffer, Size, DmaDirection.FromDevice);
        var failed = _device.MappingError(handle);
        _device.UnmapSingle(handle, Size, DmaDirection.FromDevice);
        return failed;
    }
}
