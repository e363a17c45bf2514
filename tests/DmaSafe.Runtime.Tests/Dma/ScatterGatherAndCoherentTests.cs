using System;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>Scatter-gather lists and coherent allocations.</summary>
public sealed unsafe class ScatterGatherAndCoherentTests
{
    [Fact]
    public void ScatterGatherBouncesOnlyTheSegmentsThatNeedIt()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment);
        var device = machine.AddDevice("nvme");
        var header = machine.Kmalloc(24);      // shares lines: bounces
        var payload = machine.Kmalloc(4096);   // a page of its own: does not
        var trailer = machine.Kmalloc(100);    // kmalloc-128, own slack: does not
        var list = new[]
        {
            new ScatterEntry(header, 24),
            new ScatterEntry(payload, 4096),
            new ScatterEntry(trailer, 100),
        };

        Assert.Equal(3, device.MapSg(list, DmaDirection.FromDevice));
        Assert.Equal(1, machine.Bounces.TotalBounces);
        Assert.Equal(machine.Memory.ToBus((nuint)payload), list[1].DmaAddress.Value);
        Assert.Equal((nuint)4096, list[1].DmaLength);

        var patterns = new[] { TestMachines.Pattern(24, 1), TestMachines.Pattern(4096, 2), TestMachines.Pattern(100, 3) };
        for (var i = 0; i < 3; i++)
        {
            device.DeviceWrite(list[i].DmaAddress, patterns[i]);
        }

        device.SyncSgForCpu(list, DmaDirection.FromDevice);
        Assert.Equal(patterns[0], TestMachines.Read(header, 24));
        device.SyncSgForDevice(list, DmaDirection.FromDevice);
        device.UnmapSg(list, DmaDirection.FromDevice);

        Assert.Equal(patterns[1], TestMachines.Read(payload, 4096));
        Assert.Equal(patterns[2], TestMachines.Read(trailer, 100));
        Assert.Empty(machine.Faults);
        Assert.Equal(0, device.Mappings.Count);
        machine.Kfree(header);
        machine.Kfree(payload);
        machine.Kfree(trailer);
    }

    [Fact]
    public void ScatterGatherFailureLeavesNothingMapped()
    {
        using var machine = TestMachines.Create(BouncePolicy.Always, swiotlbBytes: 2 * Swiotlb.SlotSize);
        var device = machine.AddDevice("nvme");
        var a = machine.Kmalloc(2048);
        var b = machine.Kmalloc(2048);
        var c = machine.Kmalloc(2048);
        var list = new[] { new ScatterEntry(a, 2048), new ScatterEntry(b, 2048), new ScatterEntry(c, 2048) };

        Assert.Equal(0, device.MapSg(list, DmaDirection.ToDevice));
        Assert.Equal(0, device.Mappings.Count);
        Assert.Equal(0, machine.Swiotlb.UsedSlots);
        Assert.All(list, entry => Assert.True(entry.DmaAddress.IsError));

        Assert.Equal(2, device.MapSg(list.AsSpan(0, 2), DmaDirection.ToDevice));
        device.UnmapSg(list.AsSpan(0, 2), DmaDirection.ToDevice);
        machine.Kfree(a);
        machine.Kfree(b);
        machine.Kfree(c);
    }

    [Fact]
    public void CoherentMemoryIsZeroedPageAlignedAndSharedWithoutSyncs()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("ring");
        var ring = (byte*)device.AllocCoherent(5000, out var handle);

        Assert.False(handle.IsError);
        Assert.Equal(0UL, (ulong)(nuint)ring % 4096);
        Assert.All(TestMachines.Read(ring, 5000), b => Assert.Equal(0, b));
        Assert.Equal("dma-coherent pages", machine.FindAllocation(ring)!.Cache);

        device.DeviceWrite(handle + 4000, new byte[] { 9, 8, 7 });
        Assert.Equal(8, ring[4001]); // no sync: the CPU sees it at once
        ring[10] = 0x33;
        var seen = new byte[1];
        device.DeviceRead(handle + 10, seen);
        Assert.Equal(0x33, seen[0]);

        device.FreeCoherent(5000, ring, handle);
        Assert.Equal(0, device.Mappings.Count);
        Assert.Empty(machine.Faults);
    }

    [Fact]
    public void CoherentMemoryCannotBeFreedWithKfree()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("ring");
        var ring = device.AllocCoherent(64, out var handle);
        var error = Assert.Throws<ArgumentException>(() => machine.Kfree(ring));
        Assert.Contains("FreeCoherent", error.Message, StringComparison.Ordinal);
        device.FreeCoherent(64, ring, handle);
    }

    [Fact]
    public void CoherentAllocationOfZeroBytesIsRejected()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("ring");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => device.AllocCoherent(0, out _));
        Assert.Contains("dma_alloc_coherent on ring: size must be 1", error.Message, StringComparison.Ordinal);
    }
}
