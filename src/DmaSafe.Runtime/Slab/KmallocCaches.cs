using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// kmalloc: the size-class caches, large allocations straight from the page allocator, the page-owner table that
/// maps any address back to its object, and the per-thread state. The hot path (a size class lookup, a magazine
/// pop, three metadata writes) takes no lock; kfree's one atomic exchange is the double-free check.
/// </summary>
internal sealed unsafe partial class KmallocCaches : IDisposable
{
    private readonly Machine _machine;
    private readonly object _cachesLock = new();
    private readonly object?[] _pageOwner;              // Slab, PageBlock or null, per page
    private readonly nuint _arenaStart;                  // Pages.Arena.Start, PageShift and GeneralBytes copied here:
    private readonly nuint _generalBytes;                // the hot path reads them from this object instead of
    private readonly int _pageShift;                     // following three references
    private readonly SlabCache[] _bySmallIndex;          // requests 1..192 by (size - 1) / 8
    private readonly SlabCache[] _byLog2;                // requests 193..MaxCacheSize by log2 of the class
    private readonly ThreadLocal<CpuState> _cpus;
    private SlabCache[] _allCaches = Array.Empty<SlabCache>();

    [ThreadStatic]
    private static CpuState? t_cpu;

    public KmallocCaches(Machine machine)
    {
        _machine = machine;
        Pages = machine.Pages;
        MinAlign = machine.Options.KmallocMinAlign;
        DmaMinAlign = machine.Options.DmaMinAlign;
        CaptureStacks = machine.Options.CaptureStackTraces;
        MaxCacheSize = SizeClasses.MaxCacheSize(Pages.PageSize);
        _pageOwner = new object?[Pages.PageCount];
        _arenaStart = Pages.Arena.Start;
        _generalBytes = Pages.Arena.GeneralBytes;
        _pageShift = Pages.PageShift;
        _cpus = new ThreadLocal<CpuState>(CreateCpuState);

        // Build the kmalloc caches; classes that fold to the same object size share one cache, as Linux aliases them.
        _bySmallIndex = new SlabCache[24];
        for (var index = 0; index < _bySmallIndex.Length; index++)
        {
            _bySmallIndex[index] = KmallocCacheFor(SizeClasses.ClassFor((nuint)(index * 8 + 1)));
        }

        _byLog2 = new SlabCache[BitOperationsLog2(MaxCacheSize) + 1];
        for (var log2 = 8; log2 < _byLog2.Length; log2++)
        {
            _byLog2[log2] = KmallocCacheFor((nuint)1 << log2);
        }
    }

    public PageAllocator Pages { get; }

    public int MinAlign { get; }

    public int DmaMinAlign { get; }

    public bool CaptureStacks { get; }

    public nuint MaxCacheSize { get; }

    /// <summary>Every allocation site seen so far, interned.</summary>
    public SiteTable Sites { get; } = new();

    /// <summary>The largest kmalloc the page allocator can serve (<c>KMALLOC_MAX_SIZE</c>).</summary>
    public nuint MaxSize => (nuint)Pages.PageSize << PageAllocator.MaxOrder;

    /// <summary>Every cache, kmalloc and <see cref="KmemCache"/> alike, indexed by id.</summary>
    public SlabCache[] AllCaches => Volatile.Read(ref _allCaches);

    /// <summary>kmalloc: a size class, or pages above <see cref="MaxCacheSize"/>. Returns null when out of memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* Allocate(nuint size, Gfp flags, string member, string file, int line)
    {
        // The common request (1 … 192 bytes, not DmaAligned) in one unsigned compare and one table load; size 0
        // wraps around and takes the general path.
        if (size - 1 < 192 && (flags & Gfp.DmaAligned) == 0)
        {
            var cache = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bySmallIndex), (nint)((size - 1) >> 3));
            return AllocateFrom(cache, size, flags, member, file, line);
        }

        return AllocateAnySize(size, flags, member, file, line);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void* AllocateAnySize(nuint size, Gfp flags, string member, string file, int line)
    {
        if (size == 0)
        {
            return (void*)SizeClasses.ZeroSizePointer;
        }

        if (size > MaxSize)
        {
            ThrowTooLarge(size);
        }

        var cache = (flags & Gfp.DmaAligned) != 0 ? DmaAlignedCacheFor(size) : CacheFor(size);
        if (cache is null)
        {
            return AllocatePages(size, PageBlockKind.Kmalloc, flags, new SourceSite(member, file, line));
        }

        return AllocateFrom(cache, size, flags, member, file, line);
    }

    /// <summary>Takes an object from <paramref name="cache"/> and records who asked for it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void* AllocateFrom(SlabCache cache, nuint requested, Gfp flags, string member, string file, int line)
    {
        var cpu = Cpu();
        var entry = cache.Allocate(cpu);
        var address = entry.Address;
        if (address == 0)
        {
            return null;
        }

        // Consistency check, nearly free (the line is written next): an object still live in a free list means the
        // allocator's own bookkeeping is broken, and handing it out would alias two allocations.
        ref var meta = ref *entry.Meta;
        if (meta.State != Slab.Free)
        {
            ThrowHandedOutTwice(address);
        }

        meta.Requested = requested;
        meta.Site = SiteIdOf(cpu, member, file, line);
        if (CaptureStacks)
        {
            RecordStack(address);
        }

        Volatile.Write(ref meta.State, Slab.Live);
        if ((flags & Gfp.Zero) != 0)
        {
            NativeMemory.Clear((void*)address, requested);
        }

        return (void*)address;
    }

    /// <summary>A block of whole pages for a large kmalloc or a coherent allocation; null when out of memory.</summary>
    public void* AllocatePages(nuint size, PageBlockKind kind, Gfp flags, SourceSite site)
    {
        var order = Pages.OrderFor(size);
        var firstPage = Pages.Allocate(order);
        if (firstPage < 0)
        {
            ShrinkAll(); // the page allocator is out: caches give back their empty slabs, then one more try
            firstPage = Pages.Allocate(order);
            if (firstPage < 0)
            {
                return null;
            }
        }

        var stack = CaptureStacks ? AllocationStack.Capture() : null;
        var block = new PageBlock(kind, Pages.AddressOf(firstPage), firstPage, order, (nuint)Pages.PageSize, size, site, stack);
        SetPageOwner(firstPage, 1 << order, block);
        if ((flags & Gfp.Zero) != 0)
        {
            NativeMemory.Clear((void*)block.Base, size);
        }

        return (void*)block.Base;
    }

    /// <summary>kfree: back to its cache's magazine, or its pages back to the page allocator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Free(void* pointer)
    {
        // The common case first: an address in the general arena (one unsigned compare also rejects addresses below
        // it, null and ZERO_SIZE_PTR included) on a slab page.
        var address = (nuint)pointer;
        var offset = address - _arenaStart;
        if (offset < _generalBytes && PageOwner(offset) is Slab slab)
        {
            FreeObject(slab, address, "kfree");
            return;
        }

        FreeOther(address);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FreeOther(nuint address)
    {
        if (address <= SizeClasses.ZeroSizePointer)
        {
            return; // kfree(NULL) and kfree(ZERO_SIZE_PTR) are no-ops.
        }

        switch (OwnerOf(address, "kfree"))
        {
            case Slab slab:
                FreeObject(slab, address, "kfree");
                break;
            case PageBlock { Kind: PageBlockKind.Kmalloc } block:
                FreePages(block, address, "kfree");
                break;
            case PageBlock block:
                throw new ArgumentException(
                    $"kfree of 0x{(ulong)address:x}: this is dma-coherent memory from {block.Site}; free it with FreeCoherent.", "pointer");
            default:
                throw new ArgumentException($"kfree of 0x{(ulong)address:x}: no allocation lives there (the page is free).", "pointer");
        }
    }

    /// <summary>Frees an object of a known slab; checks for interior pointers and double frees.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void FreeObject(Slab slab, nuint address, string operation)
    {
        if (!slab.IsObjectStart(address, out var index))
        {
            ThrowInterior(slab, address, index, operation);
        }

        // Atomic, so that two threads racing to free the same object cannot both put it back. A plain read and write
        // was measured as the alternative (it would miss exactly that race): with the rest of this path as it is,
        // the uncontended exchange costs no measurable time (10.4 ns per kmalloc+kfree pair either way on the
        // 2-core EPYC box), so the stronger check stays.
        var meta = slab.MetaPointer(index);
        if (Interlocked.Exchange(ref meta->State, Slab.Free) != Slab.Live)
        {
            ThrowDoubleFree(slab, address, index, operation);
        }

        slab.Cache.Release(Cpu(), address, meta);
    }

    /// <summary>Frees a page block; the address must be its start.</summary>
    public void FreePages(PageBlock block, nuint address, string operation)
    {
        if (address != block.Base)
        {
            throw new ArgumentException(
                $"{operation} of 0x{(ulong)address:x}: interior pointer, {(ulong)(address - block.Base)} bytes into the {(ulong)block.Size}-byte block at 0x{(ulong)block.Base:x} allocated at {block.Site}.");
        }

        lock (block)
        {
            if (block.Freed)
            {
                throw new ArgumentException($"{operation} of 0x{(ulong)address:x}: double free of the page block allocated at {block.Site}.");
            }

            block.Freed = true;
        }

        SetPageOwner(block.FirstPage, 1 << block.Order, null);
        Pages.Free(block.FirstPage, block.Order);
    }

    /// <summary>ksize: the backing object size of a live allocation.</summary>
    public nuint Ksize(void* pointer)
    {
        var address = (nuint)pointer;
        if (address <= SizeClasses.ZeroSizePointer)
        {
            return 0;
        }

        switch (OwnerOf(address, "ksize"))
        {
            case Slab slab:
                var index = slab.IndexOf(address);
                if (index < 0 || slab.AddressOf(index) != address)
                {
                    ThrowInterior(slab, address, index, "ksize");
                }

                if (!slab.IsLive(index))
                {
                    throw new ArgumentException($"ksize of 0x{(ulong)address:x}: the {slab.Cache.Name} object is free (last allocated at {slab.SiteOf(index)}).");
                }

                return slab.Cache.ObjectSize;
            case PageBlock block when address == block.Base && !block.Freed:
                return block.Size;
            default:
                throw new ArgumentException($"ksize of 0x{(ulong)address:x}: not the start of a live allocation.");
        }
    }

    /// <summary><c>kmalloc_size_roundup</c>: 0 and oversized requests unchanged, else the object size kmalloc would use.</summary>
    public nuint SizeRoundup(nuint size)
    {
        if (size == 0 || size > MaxSize)
        {
            return size;
        }

        return CacheFor(size)?.ObjectSize ?? ((nuint)Pages.PageSize << Pages.OrderFor(size));
    }

    /// <summary>The object (live or free) or page block that holds <paramref name="address"/>.</summary>
    public bool TryFindObject(nuint address, out ObjectSpan span)
    {
        span = default;
        if (!Pages.Arena.ContainsGeneral(address, 1))
        {
            return false;
        }

        switch (_pageOwner[PageOf(address)])
        {
            case Slab slab:
                var index = slab.IndexOf(address);
                if (index < 0)
                {
                    return false; // the unused tail of the slab
                }

                span = new ObjectSpan(slab.AddressOf(index), slab.Cache.ObjectSize, slab.RequestedSize(index), slab.IsLive(index), slab, index);
                return true;
            case PageBlock block:
                span = new ObjectSpan(block.Base, block.Size, block.Requested, !block.Freed, block, 0);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="address"/> lies in a live object or page block: dma-debug's map-of-freed-memory check
    /// on every map, without building an <see cref="ObjectSpan"/>. <paramref name="owner"/> (a <see cref="Slab"/> or
    /// <see cref="PageBlock"/>, live or not; null when nothing holds the address) and <paramref name="index"/> (the
    /// object's index in a slab) let a bounce name the allocation site without a second lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsLiveObject(nuint address, out object? owner, out int index)
    {
        index = 0;
        var offset = address - _arenaStart;
        owner = offset < _generalBytes ? PageOwner(offset) : null;
        if (owner is Slab slab)
        {
            index = slab.IndexOf(address);
            if (index < 0)
            {
                owner = null; // the unused tail of the slab belongs to no object
                return false;
            }

            return Volatile.Read(ref slab.MetaOf(index).State) == Slab.Live;
        }

        return owner is PageBlock block && !block.Freed;
    }

    /// <summary>A description of the allocation holding <paramref name="address"/>, or null.</summary>
    public AllocationInfo? Describe(nuint address) =>
        TryFindObject(address, out var span) ? span.Describe() : null;

    /// <summary>Registers a <see cref="KmemCache"/>'s slab cache so it gets a magazine slot on every thread.</summary>
    public SlabCache CreateCache(string name, nuint objectSize, nuint alignment, bool isKmalloc)
    {
        lock (_cachesLock)
        {
            var cache = new SlabCache(this, _allCaches.Length, name, objectSize, alignment, isKmalloc);
            var grown = new SlabCache[_allCaches.Length + 1];
            _allCaches.CopyTo(grown, 0);
            grown[^1] = cache;
            Volatile.Write(ref _allCaches, grown);
            return cache;
        }
    }

    public void SetPageOwner(int firstPage, int count, object? owner)
    {
        for (var page = firstPage; page < firstPage + count; page++)
        {
            Volatile.Write(ref _pageOwner[page], owner);
        }
    }

    public void Dispose()
    {
        DetachThreads();
        _cpus.Dispose();
    }

    /// <summary>This thread's magazines for this machine: one thread-static read on the fast path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CpuState Cpu()
    {
        var cpu = t_cpu;
        return cpu is not null && ReferenceEquals(cpu.Owner, this) ? cpu : CpuSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private CpuState CpuSlow() => t_cpu = _cpus.Value!;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private SlabCache? CacheFor(nuint size)
    {
        if (size <= 192)
        {
            return _bySmallIndex[(int)(size - 1) >> 3];
        }

        return size <= MaxCacheSize ? _byLog2[BitOperationsLog2(size - 1) + 1] : null;
    }

    /// <summary>Gfp.DmaAligned: round the size up to the DMA line and take the first cache whose objects start on lines.</summary>
    private SlabCache? DmaAlignedCacheFor(nuint size)
    {
        var rounded = SizeClasses.AlignUp(size, (nuint)DmaMinAlign);
        for (var cache = CacheFor(rounded); cache is not null; cache = CacheFor(cache.ObjectSize + 1))
        {
            if (cache.Alignment >= (nuint)DmaMinAlign)
            {
                return cache;
            }
        }

        return null; // page blocks are page-aligned, and DmaMinAlign never exceeds a page
    }

    private SlabCache KmallocCacheFor(nuint sizeClass)
    {
        var objectSize = SizeClasses.Fold(sizeClass, MinAlign);
        foreach (var existing in AllCaches)
        {
            if (existing.ObjectSize == objectSize)
            {
                return existing;
            }
        }

        return CreateCache(SizeClasses.CacheName(objectSize), objectSize, SizeClasses.NaturalAlignment(objectSize, MinAlign), isKmalloc: true);
    }

    private object? OwnerOf(nuint address, string operation)
    {
        if (!Pages.Arena.ContainsGeneral(address, 1))
        {
            var where = Pages.Arena.Contains(address, 1) ? "the swiotlb bounce pool" : "outside the machine's memory";
            throw new ArgumentException($"{operation} of 0x{(ulong)address:x}: the pointer is {where}, not from kmalloc.");
        }

        return Volatile.Read(ref _pageOwner[PageOf(address)]);
    }

    private int PageOf(nuint address) => (int)((address - _arenaStart) >> _pageShift);

    /// <summary>The slab of an object that sits in a magazine or the pool (so its page is known to hold a slab).</summary>
    public Slab SlabOf(nuint address) => Unsafe.As<Slab>(PageOwner(address - _arenaStart))!;

    /// <summary>The page-owner entry for an arena offset the caller has range-checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private object? PageOwner(nuint offset) =>
        Volatile.Read(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_pageOwner), (nint)(offset >> _pageShift)));

    /// <summary>The interned id of a call site: the thread's last site when it repeats, else the site table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SiteIdOf(CpuState cpu, string member, string file, int line)
    {
        if (ReferenceEquals(cpu.LastFile, file) && cpu.LastLine == line && ReferenceEquals(cpu.LastMember, member))
        {
            return cpu.LastSiteId;
        }

        return SiteIdMiss(cpu, member, file, line);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int SiteIdMiss(CpuState cpu, string member, string file, int line)
    {
        var id = Sites.IdOf(cpu.Sites, member, file, line);
        cpu.LastMember = member;
        cpu.LastFile = file;
        cpu.LastLine = line;
        cpu.LastSiteId = id;
        return id;
    }

    private static int BitOperationsLog2(nuint value) => System.Numerics.BitOperations.Log2((ulong)value);

    private static void ThrowTooLarge(nuint size) =>
        throw new ArgumentOutOfRangeException(nameof(size), (ulong)size, "kmalloc requests above KMALLOC_MAX_SIZE (PageSize << 10) cannot be served.");

    [DoesNotReturn]
    private static void ThrowDoubleFree(Slab slab, nuint address, int index, string operation) =>
        throw new ArgumentException(
            $"{operation} of 0x{(ulong)address:x}: double free of a {slab.Cache.Name} object (last allocated at {slab.SiteOf(index)}).");

    [DoesNotReturn]
    private void ThrowHandedOutTwice(nuint address)
    {
        var slab = SlabOf(address);
        var index = slab.UncheckedIndexOf(address);
        throw new InvalidOperationException(
            $"kmalloc: the {slab.Cache.Name} object at 0x{(ulong)address:x} came off a free list while still live (allocated at {slab.SiteOf(index)}): " +
            "it was put back twice, and handing it out again would alias two allocations. This is a DmaSafe bug; please report it.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordStack(nuint address)
    {
        var slab = SlabOf(address);
        slab.Stacks![slab.UncheckedIndexOf(address)] = AllocationStack.Capture();
    }

    [DoesNotReturn]
    private static void ThrowInterior(Slab slab, nuint address, int index, string operation)
    {
        var start = index < 0 ? slab.AddressOf(slab.ObjectCount - 1) : slab.AddressOf(index);
        throw new ArgumentException(
            $"{operation} of 0x{(ulong)address:x}: interior pointer, {(ulong)(address - start)} bytes into the {slab.Cache.Name} object at 0x{(ulong)start:x}.");
    }
}

/// <summary>The object (or page block) holding an address, as the DMA layer needs it for bounce decisions and fault reports.</summary>
internal readonly record struct ObjectSpan(nuint Base, nuint ObjectSize, nuint RequestedSize, bool Live, object Owner, int Index)
{
    public AllocationInfo Describe() => Owner is Slab slab ? slab.Describe(Index) : ((PageBlock)Owner).Describe();
}
