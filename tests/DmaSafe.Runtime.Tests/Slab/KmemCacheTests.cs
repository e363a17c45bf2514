using System;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>kmem_cache alignment per calculate_alignment() (KERNEL-FACTS.md §2.5) and lifetime rules.</summary>
public sealed unsafe class KmemCacheTests
{
    [Theory]
    [InlineData(24, 0, SlabFlags.HwCacheAlign, 32, 32)]   // halved twice: four per 128-byte DMA line
    [InlineData(40, 0, SlabFlags.HwCacheAlign, 64, 64)]   // two per DMA line: HWCACHE_ALIGN is not a DMA line
    [InlineData(100, 0, SlabFlags.HwCacheAlign, 64, 128)]
    [InlineData(24, 0, SlabFlags.None, 8, 24)]
    [InlineData(24, 128, SlabFlags.None, 128, 128)]       // KMEM_CACHE with __alignof__ of a 128-aligned member
    [InlineData(3, 0, SlabFlags.None, 8, 8)]
    public void Alignment_FollowsCalculateAlignment(int size, int align, SlabFlags flags, int expectedAlign, int expectedSize)
    {
        using var machine = new Machine();
        using var cache = machine.CreateCache("test", (nuint)size, (nuint)align, flags);
        Assert.Equal((nuint)expectedAlign, cache.Alignment);
        Assert.Equal((nuint)expectedSize, cache.ObjectSize);
        var objects = new nint[20];
        for (var i = 0; i < objects.Length; i++)
        {
            objects[i] = (nint)cache.Alloc();
            Assert.Equal(0L, objects[i] % expectedAlign);
            Assert.Equal("test", machine.FindAllocation((void*)objects[i])!.Cache);
        }

        foreach (var p in objects)
        {
            cache.Free((void*)p);
        }
    }

    [Fact]
    public void Destroy_WithLiveObjects_NamesCountAndSite()
    {
        using var machine = new Machine();
        var cache = machine.CreateCache("busy", 64);
        var p = cache.Alloc();
        var error = Assert.Throws<InvalidOperationException>(() => cache.Dispose());
        Assert.Contains("1 objects remaining", error.Message);
        Assert.Contains(nameof(Destroy_WithLiveObjects_NamesCountAndSite), error.Message);
        cache.Free(p);
        cache.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cache.Alloc());
    }

    [Fact]
    public void Free_OfAnotherCachesObject_IsRejected()
    {
        using var machine = new Machine();
        using var a = machine.CreateCache("a", 64);
        using var b = machine.CreateCache("b", 64);
        var p = a.Alloc();
        Assert.Contains("not an object of this cache", Assert.Throws<ArgumentException>(() => b.Free(p)).Message);
        var k = machine.Kmalloc(64);
        Assert.Throws<ArgumentException>(() => a.Free(k));
        a.Free(p);
        machine.Kfree(k);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100000, 0)]
    [InlineData(64, 3)]
    public void BadParameters_AreRejected(int size, int align)
    {
        using var machine = new Machine();
        Assert.ThrowsAny<ArgumentException>(() => machine.CreateCache("bad", (nuint)size, (nuint)align));
        Assert.ThrowsAny<ArgumentException>(() => machine.CreateCache("", 64));
    }
}
