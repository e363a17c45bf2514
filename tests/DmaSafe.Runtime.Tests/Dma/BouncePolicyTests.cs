using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>The bounce decision per policy (KERNEL-FACTS §3), and what the alignment rule saves over a naive address check.</summary>
public sealed unsafe class BouncePolicyTests
{
    private readonly ITestOutputHelper _output;

    public BouncePolicyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void KmallocSizeBouncesExactlyTheLinuxSizesForA128AndM8()
    {
        using var machine = TestMachines.Create(BouncePolicy.KmallocSize);
        for (nuint size = 1; size <= 600; size++)
        {
            var linuxBounces = size <= 96 || (size >= 129 && size <= 192);
            Assert.True(linuxBounces == !BounceDecision.KmallocSizeAligned(machine, size), $"size {size}");
        }
    }

    [Fact]
    public void AlignmentSavesMostOfWhatANaiveStartEndCheckWouldBounce()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment);
        var device = machine.AddDevice("nic");
        var sizes = new nuint[] { 8, 24, 64, 100, 128, 136, 200, 300, 500, 1000, 3000, 5000, 9000 };
        var naive = 0;
        var buffers = new List<nint>();
        foreach (var size in sizes)
        {
            var buffer = machine.Kmalloc(size);
            buffers.Add((nint)buffer);
            if (!BounceDecision.NaiveStartEndAligned(machine, (nuint)buffer, size))
            {
                naive++;
            }

            var handle = device.MapSingle(buffer, size, DmaDirection.FromDevice);
            Assert.False(device.MappingError(handle));
            device.UnmapSingle(handle, size, DmaDirection.FromDevice);
        }

        // Only the objects that share lines with other objects bounce: kmalloc-8, -32, -64 and -192.
        var bounced = machine.Bounces.TotalBounces;
        _output.WriteLine($"{sizes.Length} whole-object maps: naive start/end check bounces {naive}, Alignment bounces {bounced}, saved {naive - bounced}");
        Assert.Equal(12, naive);
        Assert.Equal(4, bounced);
        foreach (var buffer in buffers)
        {
            machine.Kfree((void*)buffer);
        }
    }

    [Fact]
    public void AlignmentBouncesWhenTheTailLineHoldsAFreeSlotOrAnotherObject()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment);
        var first = (byte*)machine.Kmalloc(64);
        var second = (byte*)machine.Kmalloc(64);
        var lineStart = (nuint)first % 128 == 0 ? first : second;

        Assert.False(BounceDecision.LinesAreItsOwn(machine, (nuint)lineStart, 64)); // the other half is a live object
        machine.Kfree(first == lineStart ? second : first);
        Assert.False(BounceDecision.LinesAreItsOwn(machine, (nuint)lineStart, 64)); // now a free slot kmalloc may hand out

        var own = (byte*)machine.Kmalloc(100); // kmalloc-128: the 28-byte tail is its own slack
        Assert.True(BounceDecision.LinesAreItsOwn(machine, (nuint)own, 100));
        Assert.False(BounceDecision.LinesAreItsOwn(machine, (nuint)own + 4, 96)); // bytes 0..3 are other fields
        machine.Kfree(own);
        machine.Kfree(lineStart);
    }

    [Theory]
    [InlineData(BouncePolicy.Alignment)]
    [InlineData(BouncePolicy.KmallocSize)]
    public void ToDeviceAndCoherentDevicesNeverBounceUnlessForced(BouncePolicy policy)
    {
        using var machine = TestMachines.Create(policy);
        var nonCoherent = machine.AddDevice("dma");
        var coherent = machine.AddDevice("pcie", coherent: true);
        var buffer = (byte*)machine.Kmalloc(24);

        Assert.False(BounceDecision.NeedsBounce(machine, nonCoherent, (nuint)buffer, 24, DmaDirection.ToDevice));
        Assert.True(BounceDecision.NeedsBounce(machine, nonCoherent, (nuint)buffer, 24, DmaDirection.FromDevice));
        Assert.True(BounceDecision.NeedsBounce(machine, nonCoherent, (nuint)buffer, 24, DmaDirection.Bidirectional));
        Assert.False(BounceDecision.NeedsBounce(machine, coherent, (nuint)buffer, 24, DmaDirection.FromDevice));
        machine.Kfree(buffer);
    }

    [Fact]
    public void AlwaysBouncesEveryMappingAndNeverBouncesNone()
    {
        using var always = TestMachines.Create(BouncePolicy.Always);
        var coherent = always.AddDevice("pcie", coherent: true);
        var buffer = (byte*)always.Kmalloc(4096);
        Assert.True(BounceDecision.NeedsBounce(always, coherent, (nuint)buffer, 4096, DmaDirection.ToDevice));

        var handle = coherent.MapSingle(buffer, 4096, DmaDirection.ToDevice);
        Assert.False(coherent.MappingError(handle));
        Assert.NotEqual(always.Memory.ToBus((nuint)buffer), handle.Value);
        coherent.UnmapSingle(handle, 4096, DmaDirection.ToDevice);
        Assert.Equal(1, always.Bounces.TotalBounces);
        always.Kfree(buffer);

        using var never = TestMachines.Create(BouncePolicy.Never);
        var dma = never.AddDevice("dma");
        var small = (byte*)never.Kmalloc(8);
        Assert.False(BounceDecision.NeedsBounce(never, dma, (nuint)small, 8, DmaDirection.FromDevice));
        never.Kfree(small);
    }

    [Fact]
    public void KmemCacheObjectsBounceUnlessTheCacheAlignsThemToTheDmaLine()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment);
        var device = machine.AddDevice("dma");
        var hwAligned = machine.CreateCache("rx-hw", 40, flags: SlabFlags.HwCacheAlign); // 64-byte L1 alignment: two per line
        var dmaAligned = machine.CreateCache("rx-dma", 40, align: 128);

        // A cache object is all the driver's (kmem_cache_alloc has no smaller request), so map each whole.
        var shared = hwAligned.Alloc();
        var own = dmaAligned.Alloc();
        Assert.Equal((nuint)64, hwAligned.ObjectSize);
        Assert.Equal((nuint)128, dmaAligned.ObjectSize);
        var first = device.MapSingle(shared, hwAligned.ObjectSize, DmaDirection.FromDevice);
        var second = device.MapSingle(own, dmaAligned.ObjectSize, DmaDirection.FromDevice);
        Assert.False(device.MappingError(first));
        Assert.False(device.MappingError(second));
        device.UnmapSingle(first, hwAligned.ObjectSize, DmaDirection.FromDevice);
        device.UnmapSingle(second, dmaAligned.ObjectSize, DmaDirection.FromDevice);

        Assert.Equal(1, machine.Bounces.TotalBounces); // only the HWCACHE_ALIGN object, which shares its line
        hwAligned.Free(shared);
        dmaAligned.Free(own);
    }

    [Fact]
    public void LargeKmallocBouncesAreAttributedToTheirAllocationSite()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment);
        var device = machine.AddDevice("dma");
        var big = (byte*)machine.Kmalloc(20000); // pages, beyond the slab classes
        var handle = device.MapSingle(big + 4, 1000, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        device.UnmapSingle(handle, 1000, DmaDirection.FromDevice);

        var site = Assert.Single(machine.Bounces.Sites);
        Assert.Equal(nameof(LargeKmallocBouncesAreAttributedToTheirAllocationSite), site.AllocationSite.Member);
        machine.Kfree(big);
    }
}
