using System;
using System.Runtime.InteropServices;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>Input no DMA call can act on: a clear exception each, and the machine maps normally afterwards.</summary>
public sealed unsafe class BadInputTests
{
    [Fact]
    public void NullPointer()
    {
        AssertRejectedThenUsable<ArgumentNullException>(
            (device, _) => device.MapSingle(null, 64, DmaDirection.FromDevice),
            "dma_map_single: the buffer pointer is null.");
    }

    [Fact]
    public void ZeroSizePointer()
    {
        AssertRejectedThenUsable<ArgumentException>(
            (device, machine) => device.MapSingle(machine.Kmalloc(0), 64, DmaDirection.FromDevice),
            "0x10 is the zero-size pointer kmalloc(0) returns");
    }

    [Fact]
    public void ZeroBytes()
    {
        AssertRejectedThenUsable<ArgumentOutOfRangeException>(
            (device, machine) => device.MapSingle(machine.Kmalloc(64), 0, DmaDirection.FromDevice),
            "dma_map_single: cannot map 0 bytes at 0x");
    }

    [Fact]
    public void SizePastTheEndOfMemory()
    {
        AssertRejectedThenUsable<ArgumentOutOfRangeException>(
            (device, machine) => device.MapSingle(machine.Kmalloc(64), (nuint)machine.Options.MemoryBytes, DmaDirection.FromDevice),
            "runs past the end of the machine's memory at 0x");
    }

    [Fact]
    public void DirectionNone()
    {
        AssertRejectedThenUsable<ArgumentOutOfRangeException>(
            (device, machine) => device.MapSingle(machine.Kmalloc(64), 64, DmaDirection.None),
            "dma_map_single: DMA_NONE is for debugging only");
    }

    [Fact]
    public void UndefinedDirection()
    {
        AssertRejectedThenUsable<ArgumentOutOfRangeException>(
            (device, machine) => device.MapSingle(machine.Kmalloc(64), 64, (DmaDirection)7),
            "dma_map_single: 7 is not a DMA direction.");
    }

    [Fact]
    public void UnmapWithDirectionNone()
    {
        AssertRejectedThenUsable<ArgumentOutOfRangeException>(
            (device, _) => device.UnmapSingle(new DmaAddress(0x8000_0000), 64, DmaDirection.None),
            "dma_unmap_single: DMA_NONE is for debugging only");
    }

    [Fact]
    public void ForeignHeapMemory()
    {
        var foreign = NativeMemory.Alloc(64);
        try
        {
            AssertRejectedThenUsable<DmaApiMisuseException>(
                (device, _) => device.MapSingle(foreign, 64, DmaDirection.FromDevice),
                "device driver maps memory from stack or from outside the machine's memory");
        }
        finally
        {
            NativeMemory.Free(foreign);
        }
    }

    [Fact]
    public void EmptyOrBrokenScatterGatherList()
    {
        AssertRejectedThenUsable<ArgumentException>(
            (device, _) => device.MapSg(Span<ScatterEntry>.Empty, DmaDirection.ToDevice),
            "dma_map_sg on dev: the scatter-gather list is empty.");
        AssertRejectedThenUsable<ArgumentOutOfRangeException>(
            (device, machine) => device.MapSg(new[] { new ScatterEntry(machine.Kmalloc(64), 64), new ScatterEntry(machine.Kmalloc(64), 0) }, DmaDirection.ToDevice),
            "dma_map_sg segment 1: cannot map 0 bytes");
    }

    [Fact]
    public void EmptyDeviceAccess()
    {
        AssertRejectedThenUsable<ArgumentException>(
            (device, _) => device.DeviceWrite(new DmaAddress(0x8000_0000), ReadOnlySpan<byte>.Empty),
            "DeviceWrite on dev: nothing to write at 0x0000000080000000.");
    }

    [Fact]
    public void UseAfterDispose()
    {
        var machine = TestMachines.Create();
        var device = machine.AddDevice("dev");
        machine.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.MapSingle((void*)0x1000, 64, DmaDirection.ToDevice));
        Assert.Throws<ObjectDisposedException>(() => device.MappingError(DmaAddress.Error));
        Assert.Throws<ObjectDisposedException>(() => device.AllocCoherent(64, out _));
    }

    /// <summary>The bad call throws <typeparamref name="TException"/> with the message, then a normal map/unmap still works.</summary>
    private static void AssertRejectedThenUsable<TException>(Action<DmaDevice, Machine> bad, string message)
        where TException : Exception
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("dev");
        var error = Assert.Throws<TException>(() => bad(device, machine));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, device.Mappings.Count);
        Assert.Equal(0, machine.Swiotlb.UsedSlots);

        var buffer = machine.Kmalloc(24);
        var handle = device.MapSingle(buffer, 24, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        device.DeviceWrite(handle, new byte[] { 1, 2, 3 });
        device.UnmapSingle(handle, 24, DmaDirection.FromDevice);
        Assert.Equal(2, ((byte*)buffer)[1]);
        machine.Kfree(buffer);
    }
}
