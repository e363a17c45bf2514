using System;
using System.Runtime.InteropServices;
using DmaSafe;
using Xunit;

namespace DmaSafe.Runtime.Tests.Slab;

public sealed unsafe class KmallocBehaviourTests
{
    [Fact]
    public void KmallocZero_ReturnsZeroSizePointerThatFreesAndHasNoSize()
    {
        using var machine = new Machine();
        var p = machine.Kmalloc(0);
        Assert.Equal((nuint)16, (nuint)p);
        Assert.Equal((nuint)0, machine.Ksize(p));
        machine.Kfree(p);
        machine.Kfree(null);
    }

    [Fact]
    public void KmallocZero_DereferenceFaults()
    {
        using var machine = new Machine();
        var p = (byte*)machine.Kmalloc(0);
        // Like ZERO_SIZE_PTR in the kernel, any access faults; the CLR turns the low-page fault into a NullReferenceException.
        Assert.Throws<NullReferenceException>(() => { p[0] = 1; });
    }

    [Fact]
    public void Kzalloc_ZeroesRecycledMemory()
    {
        using var machine = new Machine();
        var p = (byte*)machine.Kmalloc(64);
        new Span<byte>(p, 64).Fill(0xAA);
        machine.Kfree(p);
        var q = (byte*)machine.Kzalloc(64);
        Assert.True(p == q, "the freed object is reused from this thread's magazine first");
        Assert.True(new Span<byte>(q, 64).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void FreedMemory_IsReused()
    {
        using var machine = new Machine();
        var first = machine.Kmalloc(200);
        machine.Kfree(first);
        var second = machine.Kmalloc(200);
        Assert.True(first == second);
    }

    [Fact]
    public void GfpDmaAligned_StartsOnALineAndOwnsWholeLines()
    {
        using var machine = new Machine();
        foreach (var size in new nuint[] { 1, 8, 64, 96, 100, 136, 192, 200, 8000, 9000 })
        {
            var p = machine.Kmalloc(size, Gfp.DmaAligned);
            Assert.Equal(0UL, (ulong)p % 128);
            Assert.Equal(0UL, (ulong)machine.Ksize(p) % 128);
            Assert.True(machine.Ksize(p) >= size);
        }
    }

    [Fact]
    public void KmallocOfT_HonoursDmaAligned()
    {
        using var machine = new Machine();
        for (var i = 0; i < 8; i++)
        {
            var aligned = machine.Kmalloc<AlignedSmall>();
            Assert.Equal(0UL, (ulong)aligned % 128);
            Assert.Equal((nuint)128, machine.Ksize(aligned));
        }

        var plain = machine.Kzalloc<PlainSmall>();
        Assert.Equal((nuint)24, (nuint)sizeof(PlainSmall));
        Assert.Equal((nuint)32, machine.Ksize(plain));
        Assert.Equal(0, plain->A);
    }

    [Fact]
    public void LargeKmalloc_ComesFromPagesAndIsReturned()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1 << 20, SwiotlbBytes = 0 });
        var pages = machine.Pages.FreePages;
        var p = machine.Kmalloc(9000);
        Assert.Equal(0UL, (ulong)p % 16384);
        Assert.Equal(pages - 4, machine.Pages.FreePages);
        machine.Kfree(p);
        Assert.Equal(pages, machine.Pages.FreePages);
    }

    [Fact]
    public void OutOfMemory_ReturnsNullAndRecoversAfterFree()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 64 << 10, SwiotlbBytes = 0 });
        var blocks = new System.Collections.Generic.List<nint>();
        void* p;
        while ((p = machine.Kmalloc(16384)) != null)
        {
            blocks.Add((nint)p);
        }

        Assert.Equal(4, blocks.Count);
        machine.Kfree((void*)blocks[0]);
        Assert.True(machine.Kmalloc(16384) != null);
    }

    [Fact]
    public void AllocationSite_IsRecordedFromCallerInfo()
    {
        using var machine = new Machine();
        var p = machine.Kmalloc(40);
        var info = machine.FindAllocation((byte*)p + 10);
        Assert.NotNull(info);
        Assert.Equal((nuint)p, info!.Address);
        Assert.Equal((nuint)40, info.RequestedSize);
        Assert.Equal((nuint)64, info.ObjectSize);
        Assert.Equal("kmalloc-64", info.Cache);
        Assert.Equal(nameof(AllocationSite_IsRecordedFromCallerInfo), info.Site.Member);
        Assert.EndsWith("KmallocBehaviourTests.cs", info.Site.FilePath);
        Assert.True(info.Site.Line > 0);
        Assert.Null(info.StackTrace);
        Assert.True(info.Live);
        machine.Kfree(p);
        Assert.False(machine.FindAllocation(p)!.Live);
    }

    [Fact]
    public void CaptureStackTraces_RecordsTheAllocatingStack()
    {
        using var machine = new Machine(new MachineOptions { CaptureStackTraces = true });
        var p = machine.Kmalloc(40);
        Assert.Contains(nameof(CaptureStackTraces_RecordsTheAllocatingStack), machine.FindAllocation(p)!.StackTrace);
    }

    [Fact]
    public void CaptureStackTraces_StackStartsAtTheCallerNotInsideTheAllocator()
    {
        using var machine = new Machine(new MachineOptions { CaptureStackTraces = true });
        var small = machine.Kmalloc(40);
        var large = machine.Kmalloc(20000);
        using var cache = machine.CreateCache("stacks", 24);
        var cached = cache.Alloc();
        foreach (var p in new[] { (nint)small, (nint)large, (nint)cached })
        {
            var firstFrame = machine.FindAllocation((void*)p)!.StackTrace!.Split('\n')[0];
            Assert.Contains(nameof(CaptureStackTraces_StackStartsAtTheCallerNotInsideTheAllocator), firstFrame);
        }

        cache.Free(cached);
    }

    [Fact]
    public void ObjectsFreedOnAnotherThread_AreReusable()
    {
        using var machine = new Machine();
        var p = (nint)machine.Kmalloc(64);
        var thread = new System.Threading.Thread(() => machine.Kfree((void*)p));
        thread.Start();
        thread.Join();
        Assert.False(machine.FindAllocation((void*)p)!.Live);
        Assert.Throws<ArgumentException>(() => machine.Kfree((void*)p));
    }

    [StructLayout(LayoutKind.Sequential)]
    [DmaAligned]
    private struct AlignedSmall
    {
        public int A;
        public int B;
    }

    private struct PlainSmall
    {
        public long A;
        public long B;
        public long C;
    }
}
