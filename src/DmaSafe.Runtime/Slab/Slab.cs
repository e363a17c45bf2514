using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// One slab: a naturally aligned run of pages carved into equal objects, with each object's state and the site of
/// its last allocation. Each object's metadata is written only by whoever holds the object, so no lock is needed.
/// </summary>
internal sealed unsafe class Slab
{
    public const int Free = 0;
    public const int Live = 1;

    // Exact for every offset inside a slab: offset * stride stays far below 2^32 (slabs are at most 8 pages).
    private readonly ulong _strideReciprocal;

    // Lemire's divisibility test: for any 32-bit n, n is a multiple of the stride exactly when n * M <= M - 1 (mod 2^64)
    // with M = 2^64 / stride rounded up. It multiplies the offset directly, so kfree's interior-pointer check does not
    // wait for the index (the index * stride + base check costs a multiply and an add after the index multiply).
    private readonly ulong _divisibilityMultiplier;

    public Slab(SlabCache cache, nuint baseAddress, int firstPage, int order, int objectCount, bool captureStacks)
    {
        Cache = cache;
        Stride = cache.Stride;
        Base = baseAddress;
        FirstPage = firstPage;
        Order = order;
        ObjectCount = objectCount;
        // Pinned (on the pinned object heap) so magazines can carry raw pointers to an object's metadata. The entries
        // start on a cache line of their own, past the array's header: kfree of object 0 used to read that header (the
        // JIT's null check of the array) on the line another thread was writing object 0's metadata to, and two threads
        // allocating from one slab ran at under one thread's speed. Aligned, a line holds the metadata of four objects
        // whose indices differ only in their last two bits, so magazines filled 32 objects at a time from a sorted
        // pool never share a line between threads either.
        _metaStorage = GC.AllocateArray<ObjectMeta>(objectCount + MetaPadding, pinned: true);
        var first = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_metaStorage));
        _metas = (ObjectMeta*)((first + CacheLine - 1) & ~(nuint)(CacheLine - 1));
        Stacks = captureStacks ? new string?[objectCount] : null;
        _strideReciprocal = (1UL << 32) / cache.Stride + 1;
        _divisibilityMultiplier = ulong.MaxValue / cache.Stride + 1;
    }

    public SlabCache Cache { get; }

    /// <summary>The cache's <see cref="SlabCache.Stride"/>, kept here so the free path reads one object.</summary>
    public nuint Stride { get; }

    public nuint Base { get; }

    public int FirstPage { get; }

    public int Order { get; }

    public int ObjectCount { get; }

    private const int CacheLine = 64;

    // Entries beyond the objects', so the first entry can move up to the next line boundary (entries are 16 bytes).
    private const int MetaPadding = CacheLine / 16;

    // Per-object state and last allocation, one entry per object, reached through _metas (line-aligned, see the
    // constructor); this reference keeps the pinned array alive for as long as the pointer is used.
    private readonly ObjectMeta[] _metaStorage;
    private readonly ObjectMeta* _metas;

    public string?[]? Stacks { get; }

    /// <summary>How many of its objects are in the cache's shared pool (not live, not in a magazine); guarded by the cache's lock.</summary>
    public int Pooled;

    /// <summary>Marks a completely free slab whose pages the cache is returning; guarded by the cache's lock.</summary>
    public bool Releasing;

    /// <summary>Position in the cache's list of empty slabs, or -1; guarded by the cache's lock.</summary>
    public int EmptyIndex = -1;

    /// <summary>Index of the object holding <paramref name="address"/>, or -1 past the last object (slab tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(nuint address)
    {
        var index = UncheckedIndexOf(address);
        return index < ObjectCount ? index : -1;
    }

    /// <summary>Index of the object holding <paramref name="address"/>, which the caller knows is below the slab tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int UncheckedIndexOf(nuint address) =>
        // Division by a non-power-of-two stride (96, 192, 24, …) costs tens of cycles; multiply by the reciprocal instead.
        (int)(((ulong)(address - Base) * _strideReciprocal) >> 32);

    /// <summary>True when <paramref name="address"/> is the start of an object; <paramref name="index"/> gets its index either way (-1 in the tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsObjectStart(nuint address, out int index)
    {
        var candidate = UncheckedIndexOf(address);
        if ((uint)candidate < (uint)ObjectCount)
        {
            index = candidate;
            return (ulong)(address - Base) * _divisibilityMultiplier <= _divisibilityMultiplier - 1;
        }

        index = -1;
        return false;
    }

    public nuint AddressOf(int index) => Base + (nuint)index * Stride;

    /// <summary>The metadata of object <paramref name="index"/>, which the caller has checked is in 0 … ObjectCount - 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref ObjectMeta MetaOf(int index) => ref *MetaPointer(index);

    /// <summary>A stable pointer to the metadata of object <paramref name="index"/> (in 0 … ObjectCount - 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ObjectMeta* MetaPointer(int index)
    {
        Debug.Assert((uint)index < (uint)ObjectCount, "object index out of range");
        return _metas + index;
    }

    public bool IsLive(int index) => Volatile.Read(ref MetaOf(Checked(index)).State) == Live;

    public nuint RequestedSize(int index) => MetaOf(Checked(index)).Requested;

    public SourceSite SiteOf(int index) => Cache.Sites[MetaOf(Checked(index)).Site];

    public AllocationInfo Describe(int index) =>
        new(AddressOf(index), RequestedSize(index), Cache.ObjectSize, Cache.Name, SiteOf(index), Stacks?[index], IsLive(index));

    // The bounds check the array used to give these (off the hot path) callers.
    private int Checked(int index) =>
        (uint)index < (uint)ObjectCount ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"{Cache.Name} slab at 0x{(ulong)Base:x} has {ObjectCount} objects.");
}

/// <summary>What the slab knows about one object: free or live, and who asked for it last (an id in the <see cref="SiteTable"/>).</summary>
internal struct ObjectMeta
{
    public int State;
    public int Site;
    public nuint Requested;
}
