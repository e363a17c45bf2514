using System;
using System.Collections.Generic;
using System.Threading;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>
/// When the page allocator runs out, the free memory caches hold back (empty slabs, magazines of exited threads and
/// of the asking thread) goes back to it before an allocation fails, like the kernel's slab shrinkers.
/// </summary>
public sealed unsafe class MemoryPressureTests
{
    private const long ArenaBytes = 1L << 20; // 256 pages of 4 KiB: one order-8 block when all free

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(192)]
    [InlineData(1024)]
    [InlineData(8192)]
    public void AfterFillingAndFreeingOneSizeClass_TheWholeArenaCanBeAllocatedInOneBlock(int size)
    {
        using var machine = SmallMachine();
        var pages = machine.Pages.FreePages;
        FreeAll(machine, FillWith(machine, (nuint)size));

        // Every page is free again (nothing live), but the cache keeps empty slabs and this thread's magazine.
        var whole = machine.Kmalloc((nuint)ArenaBytes);
        Assert.True(whole != null, $"a {ArenaBytes}-byte allocation failed with {machine.Pages.FreePages} of {pages} pages free");
        Assert.Equal(0, machine.Pages.FreePages);
        machine.Kfree(whole);
        Assert.Equal(pages, machine.Pages.FreePages);
    }

    [Fact]
    public void AfterFillingAndFreeingOneSizeClass_AnotherSizeClassGetsEveryPage()
    {
        using var machine = SmallMachine();
        var pages = machine.Pages.FreePages;
        FreeAll(machine, FillWith(machine, 64));

        // kmalloc-8k takes order-3 slabs of 4 objects: all 32 slabs of the arena.
        var big = FillWith(machine, 8192);
        Assert.Equal((int)(pages / 8 * 4), big.Count);
        FreeAll(machine, big);
    }

    [Fact]
    public void AfterFillingAndFreeingAKmemCache_KmallocGetsEveryPage()
    {
        using var machine = SmallMachine();
        var pages = machine.Pages.FreePages;
        using var cache = machine.CreateCache("pressure", 200, flags: SlabFlags.HwCacheAlign);
        var objects = new List<nint>();
        for (var p = cache.Alloc(); p != null; p = cache.Alloc())
        {
            objects.Add((nint)p);
        }

        Assert.True(objects.Count > 1000, $"only {objects.Count} objects fit");
        foreach (var p in objects)
        {
            cache.Free((void*)p);
        }

        var whole = machine.Kmalloc((nuint)ArenaBytes);
        Assert.True(whole != null, $"the arena-sized allocation failed with {machine.Pages.FreePages} of {pages} pages free");
        machine.Kfree(whole);
    }

    [Fact]
    public void ObjectsLeftInTheMagazineOfAnExitedThread_AreReclaimedForAPageAllocation()
    {
        using var machine = SmallMachine();
        var worker = new Thread(() =>
        {
            // Fewer than a magazine holds, so they all stay in this thread's magazine when it exits.
            var objects = new List<nint>();
            for (var i = 0; i < 40; i++)
            {
                objects.Add((nint)machine.Kmalloc(2048));
            }

            FreeAll(machine, objects);
        });
        worker.Start();
        worker.Join();
        Assert.Equal(1, machine.Slab.RegisteredThreads);

        var whole = machine.Kmalloc((nuint)ArenaBytes);
        Assert.True(whole != null, $"the arena-sized allocation failed with {machine.Pages.FreePages} pages free");
        Assert.Equal(1, machine.Slab.RegisteredThreads); // this thread's, made by the shrink; the worker's is gone
        machine.Kfree(whole);
    }

    [Fact]
    public void ACoherentAllocation_AlsoShrinksTheCaches()
    {
        using var machine = SmallMachine();
        var device = machine.AddDevice("nic");
        FreeAll(machine, FillWith(machine, 128));

        var memory = device.AllocCoherent((nuint)ArenaBytes, out var handle);
        Assert.True(memory != null, $"dma_alloc_coherent of the whole arena failed with {machine.Pages.FreePages} pages free");
        device.FreeCoherent((nuint)ArenaBytes, memory, handle);
    }

    [Fact]
    public void ARealShortage_StillReturnsNull()
    {
        using var machine = SmallMachine();
        var objects = FillWith(machine, 512);
        Assert.True(machine.Kmalloc(512) == null);
        Assert.True(machine.Kmalloc(64) == null); // a new slab is needed and none can be had
        Assert.True(machine.Kmalloc(65536) == null);
        FreeAll(machine, objects);
        Assert.True(machine.Kmalloc(65536) != null);
    }

    [Fact]
    public void ShrinkingWhileTwoThreadsAllocate_LosesAndDuplicatesNothing()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 4L << 20, SwiotlbBytes = 0 });
        var pages = machine.Pages.FreePages;
        var failures = new List<string>();
        using var stop = new CancellationTokenSource();

        var shrinker = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                machine.Slab.ShrinkAll();
            }
        });
        shrinker.Start();
        var workers = new Thread[2];
        for (var w = 0; w < workers.Length; w++)
        {
            var seed = w;
            workers[w] = new Thread(() => Churn(machine, seed, failures));
            workers[w].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        stop.Cancel();
        shrinker.Join();
        Assert.Empty(failures);

        // Nothing is live: the shrinker (with the workers gone) hands every page back.
        machine.Slab.ShrinkAll();
        Assert.Equal(pages, machine.Pages.FreePages);
    }

    [Fact]
    public void TwoThreadsFillingTheArenaWithDifferentClasses_AlwaysGetTheMemoryBack()
    {
        using var machine = SmallMachine();
        var pages = machine.Pages.FreePages;
        var failures = new List<string>();
        var workers = new Thread[2];
        for (var w = 0; w < workers.Length; w++)
        {
            var size = w == 0 ? 64 : 4096;
            workers[w] = new Thread(() =>
            {
                try
                {
                    for (var round = 0; round < 30; round++)
                    {
                        // The other thread may hold the whole arena at this moment: an empty fill is fine.
                        var objects = FillWith(machine, (nuint)size, tag: (byte)round, requireSome: false);
                        foreach (var p in objects)
                        {
                            if (*(byte*)p != (byte)round || ((byte*)p)[size - 1] != (byte)round)
                            {
                                lock (failures)
                                {
                                    failures.Add($"object 0x{p:x} of {size} bytes was overwritten");
                                }
                            }
                        }

                        FreeAll(machine, objects);
                    }
                }
                catch (Exception error)
                {
                    lock (failures)
                    {
                        failures.Add(error.ToString());
                    }
                }
            });
            workers[w].Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        Assert.Empty(failures);
        machine.Slab.ShrinkAll();
        Assert.Equal(pages, machine.Pages.FreePages);
    }

    private static void Churn(Machine machine, int seed, List<string> failures)
    {
        var random = new Random(seed);
        var live = new List<(nint Address, int Size, byte Tag)>();
        try
        {
            for (var step = 0; step < 40_000; step++)
            {
                if (live.Count > 0 && (live.Count > 3000 || random.Next(2) == 0))
                {
                    var index = random.Next(live.Count);
                    var (address, size, tag) = live[index];
                    live[index] = live[^1];
                    live.RemoveAt(live.Count - 1);
                    if (*(byte*)address != tag || ((byte*)address)[size - 1] != tag)
                    {
                        throw new InvalidOperationException($"object 0x{address:x} of {size} bytes was overwritten");
                    }

                    machine.Kfree((void*)address);
                }
                else
                {
                    var size = random.Next(2) == 0 ? random.Next(1, 200) : random.Next(200, 3000);
                    var p = (byte*)machine.Kmalloc((nuint)size);
                    var tag = (byte)step;
                    new Span<byte>(p, size).Fill(tag);
                    live.Add(((nint)p, size, tag));
                }
            }

            foreach (var (address, _, _) in live)
            {
                machine.Kfree((void*)address);
            }
        }
        catch (Exception error)
        {
            lock (failures)
            {
                failures.Add(error.ToString());
            }
        }
    }

    private static Machine SmallMachine() => new(new MachineOptions { MemoryBytes = ArenaBytes, SwiotlbBytes = 0 });

    private static List<nint> FillWith(Machine machine, nuint size, byte tag = 0, bool requireSome = true)
    {
        var objects = new List<nint>();
        for (var p = machine.Kmalloc(size); p != null; p = machine.Kmalloc(size))
        {
            new Span<byte>(p, (int)size).Fill(tag);
            objects.Add((nint)p);
        }

        Assert.True(objects.Count > 0 || !requireSome, $"not one {size}-byte object could be allocated");
        return objects;
    }

    private static void FreeAll(Machine machine, List<nint> objects)
    {
        foreach (var p in objects)
        {
            machine.Kfree((void*)p);
        }
    }
}
