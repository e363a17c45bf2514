using CsCheck;
using DmaSafe.Analyzers.Kmalloc;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Kmalloc;

/// <summary>The size-class model DMA002 uses, against KERNEL-FACTS §2 and the runtime's own slab.</summary>
public sealed class KmallocSizeClassTests
{
    [Theory]
    [InlineData(1, 8, 8, 8)]
    [InlineData(8, 8, 8, 8)]
    [InlineData(9, 8, 16, 16)]
    [InlineData(65, 8, 96, 32)]
    [InlineData(100, 8, 128, 128)]
    [InlineData(136, 8, 192, 64)]
    [InlineData(200, 8, 256, 256)]
    [InlineData(300, 8, 512, 512)]
    [InlineData(8192, 8, 8192, 8192)]
    [InlineData(9000, 8, 16384, 4096)]
    [InlineData(16, 64, 64, 64)]
    [InlineData(96, 64, 128, 128)]
    [InlineData(192, 64, 192, 64)]
    [InlineData(8, 128, 128, 128)]
    [InlineData(192, 128, 256, 256)]
    public void ClassesAndAlignment(long size, int minAlign, long objectSize, long alignment)
    {
        Assert.True(KmallocSizeClass.TryGet(size, minAlign, out var actualSize, out var actualAlignment));
        Assert.Equal(objectSize, actualSize);
        Assert.Equal(alignment, actualAlignment);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void NoClass(long size) => Assert.False(KmallocSizeClass.TryGet(size, 8, out _, out _));

    [Fact]
    public void MatchesTheRuntimeRoundup()
    {
        // The runtime's kmalloc_size_roundup (m = 8 by default) is the object size the analyzer predicts.
        using var machine = new Machine();
        Gen.Long[1, 8192].Sample(size =>
        {
            Assert.True(KmallocSizeClass.TryGet(size, 8, out var objectSize, out _));
            Assert.Equal((ulong)objectSize, (ulong)machine.KmallocSizeRoundup((nuint)size));
        }, iter: 2000);
    }

    [Fact]
    public void ObjectsStartOnTheirAlignment()
    {
        using var machine = new Machine();
        Gen.Long[1, 8192].Sample(size =>
        {
            Assert.True(KmallocSizeClass.TryGet(size, 8, out _, out var alignment));
            unsafe
            {
                var p = machine.Kmalloc((nuint)size);
                try
                {
                    Assert.Equal(0L, (long)machine.FindAllocation(p)!.Address % System.Math.Min(alignment, 4096));
                }
                finally
                {
                    machine.Kfree(p);
                }
            }
        }, iter: 500);
    }
}
