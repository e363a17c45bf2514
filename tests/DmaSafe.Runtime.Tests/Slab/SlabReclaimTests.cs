using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>Memory that the slab layer gives back: completely free slabs, and the magazines of threads that exited.</summary>
public sealed unsafe class SlabReclaimTests
{
    [Fact]
    public void FreeingABurst_ReturnsAllButAFewEmptySlabsToThePageAllocator()
    {
        using var machine = new Machine();
        machine.Kfree(machine.Kmalloc(64)); // the first slab, and this thread's state
        var freeBefore = machine.Pages.FreePages;

        var objects = new List<nint>();
        for (var i = 0; i < 20_000; i++)
        {
            objects.Add((nint)machine.Kmalloc(64));
        }

        var slabPages = (freeBefore - machine.Pages.FreePages);
        Assert.True(slabPages >= 20_000 * 64 / 4096, $"the burst should take about 313 pages, took {slabPages}");
        foreach (var p in objects)
        {
            machine.Kfree((void*)p);
        }

        // Kept: MinEmptySlabs empty slabs, the slab(s) under this thread's magazine, and the first slab.
        var stillHeld = freeBefore - machine.Pages.FreePages;
        Assert.True(stillHeld <= SlabCache.MinEmptySlabs + 3, $"{stillHeld} of {slabPages} pages are still held after every object was freed");
    }

    [Fact]
    public void ReleasedSlabs_AreGoneFromLookupsAndTheCacheStillWorks()
    {
        using var machine = new Machine();
        var first = new List<nint>();
        for (var i = 0; i < 5_000; i++)
        {
            first.Add((nint)machine.Kmalloc(96));
        }

        foreach (var p in first)
        {
            machine.Kfree((void*)p);
        }

        var released = first.FindAll(p => machine.FindAllocation((void*)p) is null);
        Assert.NotEmpty(released);
        Assert.Contains("no allocation lives there", Assert.Throws<ArgumentException>(() => machine.Kfree((void*)released[0])).Message);

        // A second burst grows the cache again; every object is distinct, writable and freeable.
        var second = new HashSet<nint>();
        for (var i = 0; i < 5_000; i++)
        {
            var p = (byte*)machine.Kmalloc(96);
            new Span<byte>(p, 96).Fill((byte)i);
            Assert.True(second.Add((nint)p), "an object was handed out twice");
        }

        foreach (var p in second)
        {
            Assert.Equal((nuint)96, machine.Ksize((void*)p));
            machine.Kfree((void*)p);
        }
    }

    [Fact]
    public void AFewFreedObjects_KeepTheirSlabsForReuse()
    {
        using var machine = new Machine();
        var objects = new List<nint>();
        for (var i = 0; i < 3 * 64; i++) // three slabs of kmalloc-64
        {
            objects.Add((nint)machine.Kmalloc(64));
        }

        var free = machine.Pages.FreePages;
        foreach (var p in objects)
        {
            machine.Kfree((void*)p);
        }

        Assert.Equal(free, machine.Pages.FreePages);
    }

    [Fact]
    public void MagazinesOfAnExitedThread_GoBackToTheCache()
    {
        using var machine = new Machine();
        var leftBehind = new List<nint>();
        var worker = new Thread(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                leftBehind.Add((nint)machine.Kmalloc(64));
            }

            foreach (var p in leftBehind)
            {
                machine.Kfree((void*)p); // into this thread's magazine, which dies with the thread
            }
        });
        worker.Start();
        worker.Join();
        Assert.Equal(1, machine.Slab.RegisteredThreads);

        var seen = new HashSet<nint>();
        for (var i = 0; i < 1_000; i++)
        {
            seen.Add((nint)machine.Kmalloc(64));
        }

        Assert.Equal(1, machine.Slab.RegisteredThreads);
        Assert.All(leftBehind, p => Assert.Contains(p, seen));
    }

    [Fact]
    public void ADisposedMachine_IsNotKeptReachableByTheThreadsThatAllocatedOnIt()
    {
        var slab = AllocateOnAThrowawayMachine();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // This thread's cached slab state outlives the machine; it must not hold the machine's metadata.
        Assert.False(slab.IsAlive, "the disposed machine's kmalloc state is still reachable");
        using var next = new Machine();
        next.Kfree(next.Kmalloc(64)); // the thread moves on to another machine normally
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AllocateOnAThrowawayMachine()
    {
        var machine = new Machine();
        for (var i = 0; i < 1_000; i++)
        {
            machine.Kmalloc(64);
        }

        var slab = new WeakReference(machine.Slab);
        machine.Dispose();
        return slab;
    }

    [Fact]
    public void AnObjectPutBackTwice_IsReportedWhenHandedOutTheSecondTime()
    {
        using var machine = new Machine();
        var p = (nint)machine.Kmalloc(64);
        machine.Kfree((void*)p);

        // Broken bookkeeping, simulated: the same object twice in a magazine.
        var slab = machine.Slab.SlabOf((nuint)p);
        slab.Cache.Release(machine.Slab.Cpu(), (nuint)p, slab.MetaPointer(slab.IndexOf((nuint)p)));

        Assert.Equal(p, (nint)machine.Kmalloc(64));
        var error = Assert.Throws<InvalidOperationException>(() => machine.Kmalloc(64));
        Assert.Contains($"0x{p:x}", error.Message);
        Assert.Contains("kmalloc-64", error.Message);
        Assert.Contains("put back twice", error.Message);
        Assert.Contains(nameof(AnObjectPutBackTwice_IsReportedWhenHandedOutTheSecondTime), error.Message);
    }
}
