using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>The multiply-based index and object-start tests of a slab, checked against division at every byte of the slab.</summary>
public sealed unsafe class SlabIndexTests
{
    [Theory]
    [InlineData(4096, 8)]
    [InlineData(4096, 128)]
    [InlineData(16384, 8)]
    [InlineData(65536, 8)]
    public void IndexAndObjectStart_MatchDivisionAtEveryOffset(int pageSize, int kmallocMinAlign)
    {
        using var machine = new Machine(new MachineOptions { PageSize = pageSize, KmallocMinAlign = kmallocMinAlign, MemoryBytes = 64L << 20 });
        foreach (var size in new nuint[] { 8, 24, 40, 64, 72, 96, 100, 192, 200, 520, 1000, 3000, 4096, 6000 })
        {
            CheckEveryOffset(machine, machine.Kmalloc(size));
            using var cache = machine.CreateCache($"odd-{size}", size);
            var p = cache.Alloc();
            CheckEveryOffset(machine, p);
            cache.Free(p);
        }
    }

    private static void CheckEveryOffset(Machine machine, void* p)
    {
        var slab = machine.Slab.SlabOf((nuint)p);
        var slabBytes = (nuint)machine.Options.PageSize << slab.Order;
        for (nuint offset = 0; offset < slabBytes; offset++)
        {
            var quotient = offset / slab.Stride;
            var expectedIndex = quotient < (nuint)slab.ObjectCount ? (int)quotient : -1;
            var expectedStart = expectedIndex >= 0 && offset % slab.Stride == 0;
            Assert.Equal(expectedIndex, slab.IndexOf(slab.Base + offset));
            Assert.Equal(expectedStart, slab.IsObjectStart(slab.Base + offset, out var index));
            Assert.Equal(expectedIndex, index);
        }
    }
}
