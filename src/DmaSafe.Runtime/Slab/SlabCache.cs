using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// A cache of equal-sized objects (a kmalloc size class or a <see cref="KmemCache"/>), after SLUB: objects come from
/// a per-thread magazine (the per-CPU fast path, no lock), which refills from and flushes to a shared pool in
/// batches under the cache's lock; the pool grows by whole slabs from the page allocator.
/// </summary>
internal sealed class SlabCache
{
    /// <summary>Objects a per-thread magazine holds; half of it moves per refill or flush.</summary>
    public const int MagazineSize = 64;

    private readonly object _lock = new();
    private readonly List<Slab> _slabs = new();
    private readonly KmallocCaches _owner;
    private nuint[] _pool = new nuint[256];
    private int _poolCount;

    public SlabCache(KmallocCaches owner, int id, string name, nuint objectSize, nuint alignment, bool isKmalloc)
    {
        _owner = owner;
        Id = id;
        Name = name;
        ObjectSize = objectSize;
        Alignment = alignment;
        Stride = SizeClasses.AlignUp(objectSize, alignment);
        IsKmalloc = isKmalloc;

        // Slabs hold at least 8 objects, up to order 3, as SLUB's calculate_order() prefers.
        var pageSize = (nuint)owner.Pages.PageSize;
        var order = 0;
        while (order < 3 && (pageSize << order) < Stride * 8)
        {
            order++;
        }

        SlabOrder = order;
        ObjectsPerSlab = (int)((pageSize << order) / Stride);
    }

    /// <summary>Index of this cache in each thread's magazine array.</summary>
    public int Id { get; }

    public string Name { get; }

    /// <summary>The object size (<c>ksize</c> of every object).</summary>
    public nuint ObjectSize { get; }

    /// <summary>Where objects start: every object address is a multiple of this.</summary>
    public nuint Alignment { get; }

    /// <summary>Distance between objects: the object size rounded up to the alignment.</summary>
    public nuint Stride { get; }

    public bool IsKmalloc { get; }

    public SiteTable Sites => _owner.Sites;

    public int SlabOrder { get; }

    public int ObjectsPerSlab { get; }

    /// <summary>Takes a free object; 0 when the machine is out of memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nuint Allocate(CpuState cpu)
    {
        var magazine = cpu.MagazineFor(Id);
        if (magazine.Count == 0 && !Refill(magazine))
        {
            return 0;
        }

        return magazine.Items[--magazine.Count];
    }

    /// <summary>Returns a free object to this thread's magazine.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release(CpuState cpu, nuint address)
    {
        var magazine = cpu.MagazineFor(Id);
        if (magazine.Count == MagazineSize)
        {
            Flush(magazine);
        }

        magazine.Items[magazine.Count++] = address;
    }

    /// <summary>The slabs made so far (a snapshot).</summary>
    public Slab[] Slabs()
    {
        lock (_lock)
        {
            return _slabs.ToArray();
        }
    }

    private bool Refill(Magazine magazine)
    {
        lock (_lock)
        {
            if (_poolCount == 0 && !Grow())
            {
                return false;
            }

            var take = Math.Min(_poolCount, MagazineSize / 2);
            Array.Copy(_pool, _poolCount - take, magazine.Items, 0, take);
            _poolCount -= take;
            magazine.Count = take;
            return true;
        }
    }

    private void Flush(Magazine magazine)
    {
        const int half = MagazineSize / 2;
        lock (_lock)
        {
            EnsurePoolRoom(half);
            Array.Copy(magazine.Items, magazine.Count - half, _pool, _poolCount, half);
            _poolCount += half;
        }

        magazine.Count -= half;
    }

    // Called under _lock.
    private bool Grow()
    {
        var firstPage = _owner.Pages.Allocate(SlabOrder);
        if (firstPage < 0)
        {
            return false;
        }

        var slab = new Slab(this, _owner.Pages.AddressOf(firstPage), firstPage, SlabOrder, ObjectsPerSlab, _owner.CaptureStacks);
        _slabs.Add(slab);
        _owner.SetPageOwner(firstPage, 1 << SlabOrder, slab);
        EnsurePoolRoom(ObjectsPerSlab);
        // Push in reverse so the lowest addresses are handed out first, which makes layouts easy to read in tests.
        for (var i = ObjectsPerSlab - 1; i >= 0; i--)
        {
            _pool[_poolCount++] = slab.AddressOf(i);
        }

        return true;
    }

    private void EnsurePoolRoom(int extra)
    {
        if (_poolCount + extra > _pool.Length)
        {
            Array.Resize(ref _pool, Math.Max(_pool.Length * 2, _poolCount + extra));
        }
    }
}

/// <summary>A thread's stack of free objects of one cache: the per-CPU fast path.</summary>
internal sealed class Magazine
{
    public readonly nuint[] Items = new nuint[SlabCache.MagazineSize];
    public int Count;
}

/// <summary>One thread's magazines for one machine, indexed by <see cref="SlabCache.Id"/>.</summary>
internal sealed class CpuState
{
    private Magazine?[] _magazines;

    public CpuState(KmallocCaches owner, int cacheCount)
    {
        Owner = owner;
        _magazines = new Magazine?[Math.Max(cacheCount, 16)];
    }

    public KmallocCaches Owner { get; }

    public SiteCache Sites { get; } = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Magazine MagazineFor(int cacheId)
    {
        var magazines = _magazines;
        if ((uint)cacheId < (uint)magazines.Length && magazines[cacheId] is { } magazine)
        {
            return magazine;
        }

        return Create(cacheId);
    }

    private Magazine Create(int cacheId)
    {
        if (cacheId >= _magazines.Length)
        {
            Array.Resize(ref _magazines, Math.Max(cacheId + 1, _magazines.Length * 2));
        }

        Debug.Assert(_magazines[cacheId] is null, "magazine created twice");
        return _magazines[cacheId] = new Magazine();
    }
}
