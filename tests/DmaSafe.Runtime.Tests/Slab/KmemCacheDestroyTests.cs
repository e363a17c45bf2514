using System;
using System.Collections.Generic;
using System.Threading;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>
/// kmem_cache_destroy: the pages go back when nothing is live; live objects are reported (cache, count, first object,
/// sites) and the cache stays usable; objects in other threads' magazines and allocations racing the destroy never
/// come out of a destroyed cache.
/// </summary>
public sealed unsafe class KmemCacheDestroyTests
{
    [Fact]
    public void Destroy_ReturnsEveryPageOfTheCache()
    {
        using var machine = new Machine();
        var pages = machine.Pages.FreePages;
        var cache = machine.CreateCache("rx-desc", 200);
        var objects = AllocateMany(cache, 5_000);
        Assert.True(machine.Pages.FreePages < pages - 200);
        foreach (var p in objects)
        {
            cache.Free((void*)p);
        }

        cache.Dispose();
        Assert.Equal(pages, machine.Pages.FreePages);
        Assert.All(objects, p => Assert.Null(machine.FindAllocation((void*)p)));
    }

    [Fact]
    public void Destroy_WithLiveObjects_NamesCacheCountFirstObjectAndSites_AndKeepsTheCache()
    {
        using var machine = new Machine();
        var cache = machine.CreateCache("tx-ring", 64);
        var first = AllocateMany(cache, 3);
        var second = cache.Alloc();
        var pagesHeld = machine.Pages.FreePages;

        var error = Assert.Throws<InvalidOperationException>(() => cache.Dispose());
        Assert.Contains("kmem_cache_destroy tx-ring", error.Message);
        Assert.Contains("4 objects remaining in tx-ring", error.Message);
        Assert.Contains($"0x{first[0]:x}", error.Message);
        Assert.Contains($"{nameof(AllocateMany)} (", error.Message);
        Assert.Contains(" x3", error.Message);
        Assert.Contains($"{nameof(Destroy_WithLiveObjects_NamesCacheCountFirstObjectAndSites_AndKeepsTheCache)} (", error.Message);
        Assert.Contains(" x1", error.Message);

        // Not destroyed: nothing went back, the objects are intact and the cache still allocates and frees.
        Assert.Equal(pagesHeld, machine.Pages.FreePages);
        Assert.True(machine.FindAllocation(second)!.Live);
        var third = cache.Alloc();
        cache.Free(third);
        cache.Free(second);
        foreach (var p in first)
        {
            cache.Free((void*)p);
        }

        cache.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cache.Alloc());
        Assert.Contains("tx-ring", Assert.Throws<ObjectDisposedException>(() => cache.Free(second)).Message);
        cache.Dispose(); // twice: nothing happens
    }

    [Fact]
    public void Destroy_WithLiveObjects_ShowsTheFirstOnesStack_WhenStacksAreCaptured()
    {
        using var machine = new Machine(new MachineOptions { CaptureStackTraces = true });
        var cache = machine.CreateCache("stacked", 48);
        var p = AllocateMany(cache, 1)[0];
        var error = Assert.Throws<InvalidOperationException>(() => cache.Dispose());
        Assert.Contains("The first was allocated at:", error.Message);
        Assert.Contains($"{nameof(AllocateMany)}", error.Message.Split("The first was allocated at:")[1]);
        cache.Free((void*)p);
        cache.Dispose();
    }

    [Fact]
    public void Destroy_ListsAtMostAFewSites()
    {
        using var machine = new Machine();
        var cache = machine.CreateCache("many-sites", 32);
        var objects = new List<nint>
        {
            (nint)cache.Alloc(), // seven lines: seven sites
            (nint)cache.Alloc(),
            (nint)cache.Alloc(),
            (nint)cache.Alloc(),
            (nint)cache.Alloc(),
            (nint)cache.Alloc(),
            (nint)cache.Alloc(),
        };

        var error = Assert.Throws<InvalidOperationException>(() => cache.Dispose());
        Assert.Contains("7 objects remaining", error.Message);
        Assert.Contains("and 2 more sites", error.Message);
        foreach (var p in objects)
        {
            cache.Free((void*)p);
        }

        cache.Dispose();
    }

    [Fact]
    public void Destroy_WhileALiveThreadsMagazineHoldsObjects_NeverHandsThemOutAgain()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1L << 20, SwiotlbBytes = 0 });
        var pages = machine.Pages.FreePages;
        var cache = machine.CreateCache("shared", 64);
        using var filled = new ManualResetEventSlim();
        using var destroyed = new ManualResetEventSlim();
        Exception? workerError = null;
        var heldByWorker = new List<nint>();
        var worker = new Thread(() =>
        {
            // Freed objects stay in this thread's magazine, alive, while the main thread destroys the cache.
            heldByWorker.AddRange(AllocateMany(cache, 20));
            foreach (var p in heldByWorker)
            {
                cache.Free((void*)p);
            }

            filled.Set();
            destroyed.Wait();
            try
            {
                cache.Alloc();
                workerError = new InvalidOperationException("a destroyed cache handed out an object");
            }
            catch (ObjectDisposedException)
            {
            }

            // kmalloc still works on this thread; then it exits with the dead cache's objects in its magazine.
            machine.Kfree(machine.Kmalloc(64));
        });
        worker.Start();
        filled.Wait();
        cache.Dispose();
        Assert.Equal(pages, machine.Pages.FreePages);

        // The pages go to kmalloc-64 now, at the same addresses.
        var reused = new HashSet<nint>();
        for (var p = machine.Kmalloc(64); p != null; p = machine.Kmalloc(64))
        {
            Assert.True(reused.Add((nint)p), "kmalloc handed out an object twice");
        }

        Assert.Contains(heldByWorker[0], reused);
        destroyed.Set();
        worker.Join();
        Assert.Null(workerError);

        // The worker's magazine is reclaimed on the next shortage: the dead cache's entries must not be put back,
        // or kmalloc-64 objects that are live now would be handed out a second time.
        machine.Slab.ShrinkAll();
        Assert.Equal(0, machine.Pages.FreePages);
        Assert.True(machine.Kmalloc(64) == null);

        // Had they been counted as free kmalloc-64 objects, their slab would now look empty and be released.
        foreach (var p in reused)
        {
            if (!heldByWorker.Contains(p))
            {
                machine.Kfree((void*)p);
            }
        }

        machine.Slab.ShrinkAll();
        Assert.All(heldByWorker, p => Assert.True(machine.FindAllocation((void*)p) is { Live: true, Cache: "kmalloc-64" }));
        foreach (var p in heldByWorker)
        {
            machine.Kfree((void*)p);
        }

        machine.Slab.ShrinkAll();
        Assert.Equal(pages, machine.Pages.FreePages);
    }

    [Fact]
    public void DestroyRacingAllocatingThreads_EitherFailsOnALiveObjectOrStopsEveryAllocation()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 8L << 20, SwiotlbBytes = 0 });
        var pages = machine.Pages.FreePages;
        var failures = new List<string>();
        for (var round = 0; round < 200; round++)
        {
            var cache = machine.CreateCache($"race-{round}", 96, flags: SlabFlags.HwCacheAlign);
            var workers = new Thread[2];
            using var go = new Barrier(workers.Length + 1);
            for (var w = 0; w < workers.Length; w++)
            {
                workers[w] = new Thread(() => AllocateUntilDestroyed(machine, cache, go, failures));
                workers[w].Start();
            }

            go.SignalAndWait();
            var attempts = 0;
            while (true)
            {
                attempts++;
                try
                {
                    cache.Dispose();
                    break;
                }
                catch (InvalidOperationException error) when (error.Message.Contains("objects remaining", StringComparison.Ordinal))
                {
                    // A worker held an object at that moment: the cache is still alive, try again.
                    Thread.Yield();
                }
            }

            foreach (var worker in workers)
            {
                worker.Join();
            }

            Assert.True(attempts >= 1);
        }

        Assert.Empty(failures);
        machine.Slab.ShrinkAll();
        Assert.Equal(pages, machine.Pages.FreePages);
    }

    private static void AllocateUntilDestroyed(Machine machine, KmemCache cache, Barrier go, List<string> failures)
    {
        go.SignalAndWait();
        try
        {
            for (var i = 0; ; i++)
            {
                byte* p;
                try
                {
                    p = (byte*)cache.Alloc(i % 3 == 0 ? Gfp.Zero : Gfp.Kernel);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                // A successful allocation is a live object of this cache, on pages the cache still owns.
                var info = machine.FindAllocation(p);
                if (info is null || !info.Live || info.Cache != cache.Name)
                {
                    throw new InvalidOperationException($"{cache.Name} handed out 0x{(nint)p:x}, which is {info?.ToString() ?? "not allocated"}");
                }

                new Span<byte>(p, 96).Fill((byte)i);
                cache.Free(p); // never ObjectDisposedException: a destroy cannot succeed while p is live
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

    private static List<nint> AllocateMany(KmemCache cache, int count)
    {
        var objects = new List<nint>();
        for (var i = 0; i < count; i++)
        {
            objects.Add((nint)cache.Alloc());
        }

        return objects;
    }
}
