using System;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>Bad input to the allocator: each gets a clear exception and the machine stays usable.</summary>
public sealed unsafe class MisuseTests
{
    [Fact]
    public void DoubleFree_NamesTheCacheAndSite()
    {
        using var machine = new Machine();
        var p = machine.Kmalloc(40);
        machine.Kfree(p);
        var error = Assert.Throws<ArgumentException>(() => machine.Kfree(p));
        Assert.Contains("double free", error.Message);
        Assert.Contains("kmalloc-64", error.Message);
        Assert.Contains(nameof(DoubleFree_NamesTheCacheAndSite), error.Message);
        AssertStillUsable(machine);
    }

    [Fact]
    public void InteriorPointer_IsRejected()
    {
        using var machine = new Machine();
        var p = (byte*)machine.Kmalloc(64);
        var error = Assert.Throws<ArgumentException>(() => machine.Kfree(p + 8));
        Assert.Contains("interior pointer, 8 bytes into the kmalloc-64 object", error.Message);
        machine.Kfree(p);
        AssertStillUsable(machine);
    }

    [Fact]
    public void InteriorPointerIntoPageBlock_IsRejected()
    {
        using var machine = new Machine();
        var p = (byte*)machine.Kmalloc(10000);
        var error = Assert.Throws<ArgumentException>(() => machine.Kfree(p + 4096));
        Assert.Contains("interior pointer, 4096 bytes into the 16384-byte block", error.Message);
        machine.Kfree(p);
        Assert.Contains("no allocation lives there", Assert.Throws<ArgumentException>(() => machine.Kfree(p)).Message);
    }

    [Fact]
    public void ForeignPointer_IsRejected()
    {
        using var machine = new Machine();
        var foreign = (nint)System.Runtime.InteropServices.NativeMemory.Alloc(64);
        try
        {
            var error = Assert.Throws<ArgumentException>(() => machine.Kfree((void*)foreign));
            Assert.Contains("outside the machine's memory", error.Message);
            Assert.Throws<ArgumentException>(() => machine.Ksize((void*)foreign));
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free((void*)foreign);
        }

        AssertStillUsable(machine);
    }

    [Fact]
    public void PointerFromAnotherMachine_IsRejected()
    {
        using var first = new Machine();
        using var second = new Machine();
        var p = first.Kmalloc(64);
        Assert.Throws<ArgumentException>(() => second.Kfree(p));
        first.Kfree(p);
    }

    [Fact]
    public void KsizeOfFreedObject_IsRejected()
    {
        using var machine = new Machine();
        var p = machine.Kmalloc(64);
        machine.Kfree(p);
        Assert.Contains("is free", Assert.Throws<ArgumentException>(() => machine.Ksize(p)).Message);
    }

    [Fact]
    public void SizeBeyondKmallocMax_IsRejected()
    {
        using var machine = new Machine();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => machine.Kmalloc(unchecked((nuint)(1L << 40))));
        Assert.Contains("KMALLOC_MAX_SIZE", error.Message);
        AssertStillUsable(machine);
    }

    [Fact]
    public void UseAfterDispose_Throws()
    {
        var machine = new Machine();
        var cache = machine.CreateCache("after", 32);
        machine.Dispose();
        machine.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => machine.Kmalloc(8));
        Assert.Throws<ObjectDisposedException>(() => machine.Kfree((void*)16));
        Assert.Throws<ObjectDisposedException>(() => machine.AddDevice("late"));
        Assert.Throws<ObjectDisposedException>(() => cache.Alloc());
    }

    [Theory]
    [InlineData(nameof(MachineOptions.DmaMinAlign), 0)]
    [InlineData(nameof(MachineOptions.DmaMinAlign), 3)]
    [InlineData(nameof(MachineOptions.DmaMinAlign), 1 << 20)]
    [InlineData(nameof(MachineOptions.KmallocMinAlign), 4)]
    [InlineData(nameof(MachineOptions.KmallocMinAlign), 256)]
    [InlineData(nameof(MachineOptions.PageSize), 1000)]
    [InlineData(nameof(MachineOptions.MemoryBytes), 4096)]
    [InlineData(nameof(MachineOptions.SwiotlbBytes), 1000)]
    public void InvalidOptions_NameTheSetting(string setting, int value)
    {
        var options = setting switch
        {
            nameof(MachineOptions.DmaMinAlign) => new MachineOptions { DmaMinAlign = value },
            nameof(MachineOptions.KmallocMinAlign) => new MachineOptions { KmallocMinAlign = value },
            nameof(MachineOptions.PageSize) => new MachineOptions { PageSize = value },
            nameof(MachineOptions.MemoryBytes) => new MachineOptions { MemoryBytes = value },
            _ => new MachineOptions { SwiotlbBytes = value },
        };
        var error = Assert.Throws<ArgumentException>(() => new Machine(options));
        Assert.Equal(setting, error.ParamName);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public void DeviceNames_MustBeUniqueAndNonEmpty()
    {
        using var machine = new Machine();
        machine.AddDevice("spi0");
        Assert.Throws<ArgumentException>(() => machine.AddDevice("spi0"));
        Assert.Throws<ArgumentException>(() => machine.AddDevice(" "));
        Assert.Single(machine.Devices);
    }

    [Fact]
    public void RacingDoubleFrees_ExactlyOneSucceedsEveryTime()
    {
        using var machine = new Machine();
        const int rounds = 5_000;
        var pointers = new nint[rounds];
        var failures = new int[2];
        var arrived = new int[rounds];

        // Both threads spin until the other has reached the round, then free at once: the two kfree calls overlap
        // as closely as two threads can make them. A non-atomic state check fails this only intermittently (seen with
        // 20,000 busy-spin rounds, missed at this size on a loaded box): it guards the guarantee, not every regression.
        void Free(int thread)
        {
            for (var round = 0; round < rounds; round++)
            {
                System.Threading.Interlocked.Increment(ref arrived[round]);
                var spin = default(System.Threading.SpinWait);
                while (System.Threading.Volatile.Read(ref arrived[round]) < 2)
                {
                    spin.SpinOnce();
                }

                try
                {
                    machine.Kfree((void*)pointers[round]);
                }
                catch (ArgumentException error) when (error.Message.Contains("double free", StringComparison.Ordinal))
                {
                    failures[thread]++;
                }
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            pointers[round] = (nint)machine.Kmalloc(64);
        }

        var other = new System.Threading.Thread(() => Free(1));
        other.Start();
        Free(0);
        other.Join();

        // Each pointer was freed twice at the same moment: one kfree wins, the other is told it is a double free, and
        // no object went back twice (which the next allocations would report).
        Assert.Equal(rounds, failures[0] + failures[1]);
        var seen = new System.Collections.Generic.HashSet<nint>();
        for (var round = 0; round < rounds; round++)
        {
            Assert.True(seen.Add((nint)machine.Kmalloc(64)), "an object was handed out twice");
        }
    }

    private static void AssertStillUsable(Machine machine)
    {
        var p = machine.Kmalloc(64);
        Assert.True(p != null);
        machine.Kfree(p);
    }
}
