using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using DmaSafe;
using DmaSafe.Runtime.Tests.Soak;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>
/// Everything that gives slab memory back, at once: two threads churn kmalloc and a kmem_cache on a small arena (so
/// allocations run out and shrink every cache), a third replaces the kmem_cache and destroys the old one while they
/// still use it, and the churning threads are replaced every phase so their magazines are reclaimed. Objects stay
/// intact and distinct, and at the end every page is back. <c>DMASAFE_SOAK_SECONDS</c> makes it longer.
/// </summary>
public sealed unsafe class SlabLifecycleSoakTests
{
    private const int Phases = 6;

    [Fact]
    public void CreateDestroyShrinkAndThreadExits_TogetherLoseAndDuplicateNothing()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 2L << 20, SwiotlbBytes = 0 });
        var pages = machine.Pages.FreePages;
        var failures = new List<string>();
        var shared = new SharedCache(machine.CreateCache("soak-0", 40));
        var phaseLength = TimeSpan.FromSeconds(SoakConfiguration.Seconds / Phases);
        var destroys = 0;
        var refusals = 0;

        for (var phase = 0; phase < Phases; phase++)
        {
            var deadline = Stopwatch.StartNew();
            var workers = new Thread[2];
            for (var w = 0; w < workers.Length; w++)
            {
                var seed = SoakConfiguration.BaseSeed + phase * 10 + w;
                workers[w] = new Thread(() => Record(failures, () => Churn(machine, shared, seed, deadline, phaseLength)));
                workers[w].Start();
            }

            var random = new Random(SoakConfiguration.BaseSeed + phase);
            KmemCache? pending = null;
            while (deadline.Elapsed < phaseLength)
            {
                // Replace the cache and destroy the old one; the workers free its objects once they notice.
                pending = shared.Replace(machine.CreateCache($"soak-{destroys + 1}", (nuint)random.Next(8, 700), flags: random.Next(2) == 0 ? SlabFlags.HwCacheAlign : SlabFlags.None));
                while (!TryDestroy(pending, ref refusals) && deadline.Elapsed < phaseLength)
                {
                    Thread.Sleep(1);
                }

                destroys++;
                Thread.Sleep(random.Next(0, 3));
            }

            foreach (var worker in workers)
            {
                worker.Join(); // each leaves its magazines behind for the reclaim
            }

            pending?.Dispose(); // if the phase ended while it was refused: its objects are all freed now
        }

        Assert.Empty(failures);
        shared.Current.Dispose();
        machine.Slab.ShrinkAll();
        Assert.Equal(pages, machine.Pages.FreePages);
        Assert.True(destroys > 0, "no cache was destroyed");
    }

    private static bool TryDestroy(KmemCache cache, ref int refusals)
    {
        try
        {
            cache.Dispose();
            return true;
        }
        catch (InvalidOperationException error) when (error.Message.Contains("objects remaining", StringComparison.Ordinal))
        {
            refusals++;
            return false;
        }
    }

    private static void Churn(Machine machine, SharedCache shared, int seed, Stopwatch deadline, TimeSpan phaseLength)
    {
        var random = new Random(seed);
        var kmalloced = new List<(nint Address, int Size, byte Tag)>();
        var cached = new List<(nint Address, byte Tag)>();
        var cache = shared.Current;
        for (var step = 0; deadline.Elapsed < phaseLength; step++)
        {
            if (!ReferenceEquals(cache, shared.Current))
            {
                FreeCached(cache, cached); // let the destroyer finish the old cache
                cache = shared.Current;
            }

            var tag = (byte)step;
            switch (random.Next(4))
            {
                case 0 when kmalloced.Count < 1500:
                    var size = random.Next(8) == 0 ? random.Next(4096, 40_000) : random.Next(1, 700);
                    var p = (byte*)machine.Kmalloc((nuint)size);
                    if (p != null) // the arena is small: running out is expected, and each failure shrinks every cache
                    {
                        new Span<byte>(p, size).Fill(tag);
                        kmalloced.Add(((nint)p, size, tag));
                    }

                    break;
                case 1 when kmalloced.Count > 0:
                    var index = random.Next(kmalloced.Count);
                    var victim = kmalloced[index];
                    kmalloced[index] = kmalloced[^1];
                    kmalloced.RemoveAt(kmalloced.Count - 1);
                    Check((byte*)victim.Address, victim.Size, victim.Tag, "kmalloc");
                    machine.Kfree((void*)victim.Address);
                    break;
                case 2 when cached.Count < 500:
                    byte* o;
                    try
                    {
                        o = (byte*)cache.Alloc();
                    }
                    catch (ObjectDisposedException)
                    {
                        continue; // destroyed after we looked: the next step picks up the new cache
                    }

                    if (o != null)
                    {
                        var info = machine.FindAllocation(o);
                        if (info is null || !info.Live || info.Cache != cache.Name)
                        {
                            throw new InvalidOperationException($"{cache.Name} handed out 0x{(nint)o:x}, which is {info?.ToString() ?? "not allocated"}");
                        }

                        new Span<byte>(o, (int)cache.ObjectSize).Fill(tag);
                        cached.Add(((nint)o, tag));
                    }

                    break;
                case 3 when cached.Count > 0:
                    var last = cached[^1];
                    cached.RemoveAt(cached.Count - 1);
                    Check((byte*)last.Address, (int)cache.ObjectSize, last.Tag, cache.Name);
                    cache.Free((void*)last.Address);
                    break;
            }
        }

        FreeCached(cache, cached);
        foreach (var (address, size, tag) in kmalloced)
        {
            Check((byte*)address, size, tag, "kmalloc");
            machine.Kfree((void*)address);
        }
    }

    private static void FreeCached(KmemCache cache, List<(nint Address, byte Tag)> cached)
    {
        foreach (var (address, tag) in cached)
        {
            Check((byte*)address, (int)cache.ObjectSize, tag, cache.Name);
            cache.Free((void*)address); // never ObjectDisposedException: the cache cannot be destroyed under a live object
        }

        cached.Clear();
    }

    private static void Check(byte* address, int size, byte tag, string what)
    {
        if (address[0] != tag || address[size - 1] != tag)
        {
            throw new InvalidOperationException($"{what} object 0x{(nint)address:x} of {size} bytes was overwritten");
        }
    }

    private static void Record(List<string> failures, Action work)
    {
        try
        {
            work();
        }
        catch (Exception error)
        {
            lock (failures)
            {
                failures.Add(error.ToString());
            }
        }
    }

    /// <summary>The kmem_cache the workers currently use.</summary>
    private sealed class SharedCache(KmemCache first)
    {
        private KmemCache _current = first;

        public KmemCache Current => Volatile.Read(ref _current);

        /// <summary>Publishes <paramref name="next"/>; returns the cache it replaces.</summary>
        public KmemCache Replace(KmemCache next) => Interlocked.Exchange(ref _current, next);
    }
}
