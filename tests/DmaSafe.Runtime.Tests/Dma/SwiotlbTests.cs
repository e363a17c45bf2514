using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>The bounce pool: slots, segments, copies, exhaustion and recovery (KERNEL-FACTS §4).</summary>
public sealed unsafe class SwiotlbTests
{
    [Fact]
    public void FullPoolReturnsTheMappingErrorAndRecoversAfterAnUnmap()
    {
        using var machine = TestMachines.Create(BouncePolicy.Always, swiotlbBytes: 4 * Swiotlb.SlotSize);
        var device = machine.AddDevice("dma");
        var a = machine.Kmalloc(4096);
        var b = machine.Kmalloc(4096);
        var c = machine.Kmalloc(4096);

        var first = device.MapSingle(a, 4096, DmaDirection.ToDevice);
        var second = device.MapSingle(b, 4096, DmaDirection.ToDevice);
        Assert.False(device.MappingError(first));
        Assert.False(device.MappingError(second));

        var third = device.MapSingle(c, 4096, DmaDirection.ToDevice);
        Assert.True(third.IsError);
        Assert.True(device.MappingError(third));
        Assert.Equal(4, machine.Swiotlb.UsedSlots);

        device.UnmapSingle(first, 4096, DmaDirection.ToDevice);
        var retried = device.MapSingle(c, 4096, DmaDirection.ToDevice);
        Assert.False(device.MappingError(retried));

        device.UnmapSingle(second, 4096, DmaDirection.ToDevice);
        device.UnmapSingle(retried, 4096, DmaDirection.ToDevice);
        Assert.Equal(0, machine.Swiotlb.UsedSlots);
        machine.Kfree(a);
        machine.Kfree(b);
        machine.Kfree(c);
    }

    [Fact]
    public void NoPoolMeansABounceFailsInsteadOfMappingUnbounced()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment, swiotlbBytes: 0);
        var device = machine.AddDevice("dma");
        var small = machine.Kmalloc(24);
        Assert.True(device.MapSingle(small, 24, DmaDirection.FromDevice).IsError);

        var handle = device.MapSingle(small, 24, DmaDirection.ToDevice); // needs no bounce: still fine
        Assert.False(device.MappingError(handle));
        device.UnmapSingle(handle, 24, DmaDirection.ToDevice);
        machine.Kfree(small);
    }

    [Fact]
    public void MappingsAboveTheSegmentSizeCannotBounce()
    {
        using var machine = TestMachines.Create(BouncePolicy.Always, swiotlbBytes: 1L << 20);
        var device = machine.AddDevice("dma");
        var big = machine.Kmalloc(300 * 1024);
        Assert.True(device.MapSingle(big, 300 * 1024, DmaDirection.ToDevice).IsError);
        var fits = device.MapSingle(big, 256 * 1024, DmaDirection.ToDevice);
        Assert.False(device.MappingError(fits));
        device.UnmapSingle(fits, 256 * 1024, DmaDirection.ToDevice);
        machine.Kfree(big);
    }

    [Fact]
    public void RunsNeverCrossASegmentAndReleasesMergeWithTheirNeighbours()
    {
        using var machine = TestMachines.Create(swiotlbBytes: 2L * Swiotlb.SegmentSlots * Swiotlb.SlotSize);
        var pool = machine.Swiotlb;
        using (machine.DmaLock.EnterScope())
        {
            var a = pool.Allocate(100 * Swiotlb.SlotSize, 100);
            var b = pool.Allocate(100 * Swiotlb.SlotSize, 100);
            Assert.Equal(0, a);
            Assert.Equal(Swiotlb.SegmentSlots, b); // 28 slots were left in the first segment: too few
            Assert.Equal(-1, pool.Allocate(30 * Swiotlb.SlotSize, 30)); // 56 free slots, but no 30 in one segment

            pool.Free(a, 100);
            Assert.Equal(0, pool.Allocate(128 * Swiotlb.SlotSize, 128)); // the freed run joined the 28 behind it
            Assert.Equal(228, pool.UsedSlots);
        }
    }

    [Fact]
    public void PageSizedBouncesStartOnAPage()
    {
        using var machine = TestMachines.Create(swiotlbBytes: 64 * Swiotlb.SlotSize);
        var pool = machine.Swiotlb;
        using (machine.DmaLock.EnterScope())
        {
            Assert.Equal(0, pool.Allocate(100, 1));
            var page = pool.Allocate(4096, 2);
            Assert.Equal(0, (int)((pool.AddressOf(page) - pool.AddressOf(0)) % 4096));
            Assert.Equal(2, page);
        }
    }

    [Fact]
    public void FromDeviceBounceCopiesInAtMapSoUnwrittenBytesKeepTheirValues()
    {
        using var machine = TestMachines.Create(BouncePolicy.Always);
        var device = machine.AddDevice("dma");
        var buffer = (byte*)machine.Kmalloc(256);
        for (var i = 0; i < 256; i++)
        {
            buffer[i] = 0x5a;
        }

        var handle = device.MapSingle(buffer, 256, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        device.DeviceWrite(handle + 16, new byte[] { 1, 2, 3 });
        device.UnmapSingle(handle, 256, DmaDirection.FromDevice);

        Assert.Equal(0x5a, buffer[15]);
        Assert.Equal(1, buffer[16]);
        Assert.Equal(3, buffer[18]);
        Assert.Equal(0x5a, buffer[19]);
        machine.Kfree(buffer);
    }

    [Fact]
    public void BounceBuffersStartOnSlotBoundariesAndNeverShareALine()
    {
        using var machine = TestMachines.Create(BouncePolicy.Always);
        var device = machine.AddDevice("dma");
        var handles = new List<(DmaAddress Handle, nint Buffer)>();
        for (var i = 0; i < 8; i++)
        {
            var buffer = machine.Kmalloc(40);
            var handle = device.MapSingle(buffer, 40, DmaDirection.FromDevice);
            Assert.False(device.MappingError(handle));
            Assert.Equal(0UL, (handle.Value - Arena.BusBase) % Swiotlb.SlotSize);
            handles.Add((handle, (nint)buffer));
        }

        foreach (var (handle, buffer) in handles)
        {
            device.UnmapSingle(handle, 40, DmaDirection.FromDevice);
            machine.Kfree((void*)buffer);
        }
    }

    [Fact]
    public void TwoThreadsMappingThroughOnePoolLoseNoSlots()
    {
        using var machine = TestMachines.Create(BouncePolicy.Always, swiotlbBytes: 32 * Swiotlb.SlotSize);
        var device = machine.AddDevice("dma");
        void Work()
        {
            var buffer = machine.Kmalloc(3000);
            for (var i = 0; i < 2000; i++)
            {
                var handle = device.MapSingle(buffer, 3000, DmaDirection.Bidirectional);
                if (device.MappingError(handle))
                {
                    continue;
                }

                device.UnmapSingle(handle, 3000, DmaDirection.Bidirectional);
            }

            machine.Kfree(buffer);
        }

        var thread = new System.Threading.Thread(Work);
        thread.Start();
        Work();
        thread.Join();
        Assert.Equal(0, machine.Swiotlb.UsedSlots);
        Assert.Equal(4000, machine.Bounces.TotalBounces);
    }

    [Fact]
    public void RandomAllocationsNeverOverlapNorCrossASegmentAndAllSlotsComeBack()
    {
        var operations = Gen.Select(Gen.Int[1, 300_000], Gen.Bool).Array[1, 80];
        operations.Sample(
            steps =>
            {
                using var machine = TestMachines.Create(swiotlbBytes: 3L * Swiotlb.SegmentSlots * Swiotlb.SlotSize - 40 * Swiotlb.SlotSize);
                var pool = machine.Swiotlb;
                var owner = new int[pool.TotalSlots];
                var live = new List<(int First, int Count)>();
                using (machine.DmaLock.EnterScope())
                {
                    for (var step = 0; step < steps.Length; step++)
                    {
                        var (size, free) = steps[step];
                        if (free && live.Count > 0)
                        {
                            var (first, count) = live[size % live.Count];
                            live.Remove((first, count));
                            pool.Free(first, count);
                            owner.AsSpan(first, count).Clear();
                            continue;
                        }

                        var slots = Swiotlb.SlotsFor((nuint)size);
                        var got = pool.Allocate((nuint)size, slots);
                        if (got < 0)
                        {
                            continue;
                        }

                        Assert.True(slots <= Swiotlb.SegmentSlots);
                        Assert.Equal(got / Swiotlb.SegmentSlots, (got + slots - 1) / Swiotlb.SegmentSlots);
                        Assert.True(got + slots <= pool.TotalSlots);
                        Assert.All(owner.AsSpan(got, slots).ToArray(), o => Assert.Equal(0, o));
                        if (size >= 4096)
                        {
                            Assert.Equal(0, got % 2);
                        }

                        owner.AsSpan(got, slots).Fill(step + 1);
                        live.Add((got, slots));
                    }

                    Assert.Equal(live.Sum(run => run.Count), pool.UsedSlots);
                    foreach (var (first, count) in live)
                    {
                        pool.Free(first, count);
                    }

                    Assert.Equal(0, pool.UsedSlots);
                    var whole = pool.Allocate(Swiotlb.MaxMappingSize, Swiotlb.SegmentSlots); // every full segment merged back
                    Assert.True(whole >= 0 && whole % Swiotlb.SegmentSlots == 0, $"a whole segment should be free again, got {whole}");
                }
            },
            iter: 300,
            threads: 1);
    }
}
