using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>kmalloc size classes, folding and natural alignment against KERNEL-FACTS.md §2.</summary>
public sealed unsafe class SizeClassTests
{
    [Theory]
    // m = 8: the full table, 96 and 192 exist.
    [InlineData(8, 1, 8, 8)]
    [InlineData(8, 8, 8, 8)]
    [InlineData(8, 9, 16, 16)]
    [InlineData(8, 17, 32, 32)]
    [InlineData(8, 33, 64, 64)]
    [InlineData(8, 65, 96, 32)]
    [InlineData(8, 96, 96, 32)]
    [InlineData(8, 97, 128, 128)]
    [InlineData(8, 100, 128, 128)]
    [InlineData(8, 129, 192, 64)]
    [InlineData(8, 136, 192, 64)]
    [InlineData(8, 193, 256, 256)]
    [InlineData(8, 300, 512, 512)]
    [InlineData(8, 1025, 2048, 2048)]
    [InlineData(8, 8192, 8192, 8192)]
    [InlineData(8, 9000, 16384, 4096)]
    // m = 64: 8/16/32 fold into 64, 96 into 128, 192 stays.
    [InlineData(64, 1, 64, 64)]
    [InlineData(64, 32, 64, 64)]
    [InlineData(64, 80, 128, 128)]
    [InlineData(64, 136, 192, 64)]
    // m = 128: everything up to 128 is 128, 192 becomes 256 (the pre-6.5 arm64 set).
    [InlineData(128, 1, 128, 128)]
    [InlineData(128, 96, 128, 128)]
    [InlineData(128, 136, 256, 256)]
    public void Kmalloc_UsesLinuxSizeClassAndNaturalAlignment(int minAlign, int request, int expectedKsize, int expectedAlignment)
    {
        using var machine = new Machine(new MachineOptions { KmallocMinAlign = minAlign });
        var pointers = new void*[16];
        for (var i = 0; i < pointers.Length; i++)
        {
            pointers[i] = machine.Kmalloc((nuint)request);
            Assert.True(pointers[i] != null);
            Assert.Equal((nuint)expectedKsize, machine.Ksize(pointers[i]));
            Assert.Equal(0UL, (ulong)pointers[i] % (ulong)expectedAlignment);
        }

        Assert.Equal((nuint)expectedKsize, machine.KmallocSizeRoundup((nuint)request));
        foreach (var p in pointers)
        {
            machine.Kfree(p);
        }
    }

    [Fact]
    public void Kmalloc96_StartsOffTheDmaLineForEveryOtherObject()
    {
        // The reason 96/192 objects need bouncing: natural alignment 32 is below the 128-byte line.
        using var machine = new Machine();
        var offsets = new System.Collections.Generic.HashSet<ulong>();
        for (var i = 0; i < 8; i++)
        {
            offsets.Add((ulong)machine.Kmalloc(96) % 128);
        }

        Assert.Contains(32UL, offsets);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 8UL)]
    [InlineData(100UL, 128UL)]
    [InlineData(8193UL, 16384UL)]
    [InlineData(5UL << 20, 5UL << 20)] // above KMALLOC_MAX_SIZE: unchanged, as Linux
    public void KmallocSizeRoundup_MatchesLinux(ulong size, ulong expected)
    {
        using var machine = new Machine();
        Assert.Equal((nuint)expected, machine.KmallocSizeRoundup((nuint)size));
    }
}
