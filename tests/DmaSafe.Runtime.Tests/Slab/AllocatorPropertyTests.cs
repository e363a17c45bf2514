using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CsCheck;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>Random allocation and free sequences: live objects never overlap, their bytes are never disturbed.</summary>
public sealed unsafe class AllocatorPropertyTests
{
    private static readonly Gen<(int Size, bool Aligned, bool Free, int Pick)> Step =
        Gen.Select(
            Gen.Frequency((6, Gen.Int[1, 256]), (3, Gen.Int[257, 8192]), (1, Gen.Int[8193, 40000])),
            Gen.Bool,
            Gen.Int[0, 9].Select(n => n < 4),
            Gen.Int[0, 1_000_000]);

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(128)]
    public void RandomSequences_KeepObjectsDisjointAndIntact(int minAlign)
    {
        Step.Array[1, 200].Sample(steps =>
        {
            using var machine = new Machine(new MachineOptions { KmallocMinAlign = minAlign, MemoryBytes = 16 << 20, SwiotlbBytes = 0 });
            var live = new List<(nint Address, int Size, byte Tag)>();
            byte tag = 0;
            foreach (var (size, aligned, free, pick) in steps)
            {
                if (free && live.Count > 0)
                {
                    var victim = live[pick % live.Count];
                    live.Remove(victim);
                    AssertTagged(victim.Address, victim.Size, victim.Tag);
                    machine.Kfree((void*)victim.Address);
                    continue;
                }

                var p = (byte*)machine.Kmalloc((nuint)size, aligned ? Gfp.DmaAligned : Gfp.Kernel);
                Assert.True(p != null);
                tag++;
                new Span<byte>(p, size).Fill(tag);
                live.Add(((nint)p, size, tag));
                if (aligned)
                {
                    Assert.Equal(0L, (long)p % machine.Options.DmaMinAlign);
                }
            }

            AssertDisjoint(machine, live.Select(o => o.Address));
            foreach (var (address, size, objectTag) in live)
            {
                AssertTagged(address, size, objectTag);
            }
        }, iter: 60, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void TwoThreads_AllocateAndFreeConcurrently_IncludingCrossThreadFrees()
    {
        using var machine = new Machine();
        var handoff = new ConcurrentQueue<(nint Address, int Size, byte Tag)>();
        var failures = new ConcurrentQueue<string>();
        void Worker(int seed)
        {
            var random = new Random(seed);
            var mine = new List<(nint Address, int Size, byte Tag)>();
            for (var i = 0; i < 20_000; i++)
            {
                if (mine.Count > 0 && random.Next(3) == 0)
                {
                    var index = random.Next(mine.Count);
                    var victim = mine[index];
                    mine.RemoveAt(index);
                    if (random.Next(2) == 0)
                    {
                        handoff.Enqueue(victim); // the other thread frees it
                        continue;
                    }

                    Check(victim);
                    machine.Kfree((void*)victim.Address);
                }
                else if (handoff.TryDequeue(out var foreign))
                {
                    Check(foreign);
                    machine.Kfree((void*)foreign.Address);
                }
                else
                {
                    var size = random.Next(1, 600);
                    var tag = (byte)random.Next(1, 256);
                    var p = (byte*)machine.Kmalloc((nuint)size);
                    new Span<byte>(p, size).Fill(tag);
                    mine.Add(((nint)p, size, tag));
                }
            }

            foreach (var o in mine)
            {
                Check(o);
                machine.Kfree((void*)o.Address);
            }
        }

        void Check((nint Address, int Size, byte Tag) o)
        {
            if (new Span<byte>((void*)o.Address, o.Size).IndexOfAnyExcept(o.Tag) >= 0)
            {
                failures.Enqueue($"object 0x{o.Address:x} of {o.Size} bytes was overwritten");
            }
        }

        var threads = new[] { new Thread(() => Worker(1)), new Thread(() => Worker(2)) };
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            Assert.True(t.Join(TimeSpan.FromMinutes(2)), "allocator threads did not finish: deadlock?");
        }

        while (handoff.TryDequeue(out var rest))
        {
            machine.Kfree((void*)rest.Address);
        }

        Assert.Empty(failures);
    }

    private static void AssertTagged(nint address, int size, byte tag) =>
        Assert.True(new Span<byte>((void*)address, size).IndexOfAnyExcept(tag) < 0, $"object 0x{address:x} was overwritten");

    private static void AssertDisjoint(Machine machine, IEnumerable<nint> addresses)
    {
        var ranges = addresses.Select(a => (Start: (ulong)a, End: (ulong)a + (ulong)machine.Ksize((void*)a))).OrderBy(r => r.Start).ToList();
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.True(ranges[i - 1].End <= ranges[i].Start, $"objects overlap: [{ranges[i - 1].Start:x},{ranges[i - 1].End:x}) and [{ranges[i].Start:x},{ranges[i].End:x})");
        }
    }
}
