using System.Collections.Generic;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

/// <summary>
/// Where a slab keeps its objects' metadata: on cache lines of its own, so that two threads working on objects of one
/// slab do not write a line the other reads (the false sharing that held two threads on one machine under one
/// thread's throughput). The speed itself is shown by the benchmarks; these pin the layout that gives it.
/// </summary>
public sealed unsafe class SlabMetadataLayoutTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(192)]
    [InlineData(1000)]
    public void MetadataStartsOnALineAndIsDenseAfterIt(int size)
    {
        using var machine = new Machine();
        var objects = new List<nint>();
        for (var i = 0; i < 200; i++)
        {
            objects.Add((nint)machine.Kmalloc((nuint)size));
        }

        var seen = new HashSet<global::DmaSafe.Slab>();
        foreach (var p in objects)
        {
            var slab = machine.Slab.SlabOf((nuint)p);
            if (!seen.Add(slab))
            {
                continue;
            }

            var first = (nuint)slab.MetaPointer(0);
            Assert.Equal((nuint)0, first % 64);
            for (var index = 1; index < slab.ObjectCount; index++)
            {
                Assert.Equal(first + (nuint)(index * sizeof(ObjectMeta)), (nuint)slab.MetaPointer(index));
            }
        }

        foreach (var p in objects)
        {
            var slab = machine.Slab.SlabOf((nuint)p);
            Assert.True(slab.IsLive(slab.IndexOf((nuint)p)));
            Assert.Equal((nuint)size, slab.RequestedSize(slab.IndexOf((nuint)p)));
            machine.Kfree((void*)p);
            Assert.False(slab.IsLive(slab.IndexOf((nuint)p)));
        }
    }
}
