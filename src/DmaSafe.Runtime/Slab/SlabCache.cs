using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// A cache of equal-sized objects (a kmalloc size class or a <see cref="KmemCache"/>), after SLUB: objects come from
/// a per-thread magazine (the per-CPU fast path, no lock), which refills from and flushes to a shared pool in
/// batches under the cache's lock; the pool grows by whole slabs from the page allocator. Slabs whose objects are all
/// back in the pool are returned to the page allocator, keeping <see cref="MinEmptySlabs"/> of them for the next
/// burst (SLUB's <c>min_partial</c>).
/// </summary>
internal sealed class SlabCache
{
    /// <summary>Objects a per-thread magazine holds; half of it moves per refill or flush.</summary>
    public const int MagazineSize = Magazine.Capacity;

    /// <summary>Completely free slabs a cache keeps instead of returning their pages (SLUB keeps 5 … 10 partial slabs per node).</summary>
    public const int MinEmptySlabs = 2;

    private readonly object _lock = new();
    private readonly HashSet<Slab> _slabs = new();
    private readonly KmallocCaches _owner;
    private nuint[] _pool = new nuint[256];
    private int _poolCount;
    private readonly List<Slab> _emptySlabs = new(); // slabs whose every object is in the pool; Slab.EmptyIndex points back

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

    /// <summary>Takes a free object; an entry with address 0 when the machine is out of memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MagazineEntry Allocate(CpuState cpu)
    {
        ref var magazine = ref cpu.MagazineFor(Id);
        if (magazine.IsEmpty && !Refill(ref magazine))
        {
            return default;
        }

        return magazine.Pop();
    }

    /// <summary>Returns a free object, with its metadata pointer, to this thread's magazine.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Release(CpuState cpu, nuint address, ObjectMeta* meta)
    {
        ref var magazine = ref cpu.MagazineFor(Id);
        if (magazine.IsFull)
        {
            Flush(ref magazine);
        }

        magazine.Push(address, meta);
    }

    /// <summary>The slabs made so far (a snapshot).</summary>
    public Slab[] Slabs()
    {
        lock (_lock)
        {
            var slabs = new Slab[_slabs.Count];
            _slabs.CopyTo(slabs);
            return slabs;
        }
    }

    /// <summary>Takes back every object of a magazine whose thread has exited; the magazine is left empty.</summary>
    public void AdoptOrphans(ref Magazine magazine)
    {
        lock (_lock)
        {
            PutInPool(((Span<MagazineEntry>)magazine.Entries)[..magazine.Count]);
            ReleaseEmptySlabsIfWorthIt();
        }

        magazine.Count = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Refill(ref Magazine magazine)
    {
        if (Volatile.Read(ref _poolCount) == 0)
        {
            // Before growing, take back what exited threads left in their magazines. Outside our lock: it takes the
            // locks of other caches, one at a time.
            _owner.ReclaimExitedThreads();
        }

        lock (_lock)
        {
            if (_poolCount == 0 && !Grow())
            {
                return false;
            }

            var take = Math.Min(_poolCount, MagazineSize / 2);
            var taken = _pool.AsSpan(_poolCount - take, take);
            Span<MagazineEntry> entries = magazine.Entries;
            for (var i = 0; i < taken.Length; i++)
            {
                var address = taken[i];
                var slab = _owner.SlabOf(address);
                if (slab.Pooled-- == ObjectsPerSlab)
                {
                    RemoveFromEmpty(slab);
                }

                unsafe
                {
                    entries[i] = new MagazineEntry(address, slab.MetaPointer(slab.UncheckedIndexOf(address)));
                }
            }

            _poolCount -= take;
            magazine.Count = take;
            return true;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Flush(ref Magazine magazine)
    {
        const int half = MagazineSize / 2;
        lock (_lock)
        {
            PutInPool(((Span<MagazineEntry>)magazine.Entries)[(magazine.Count - half)..magazine.Count]);
            ReleaseEmptySlabsIfWorthIt();
        }

        magazine.Count -= half;
    }

    // Called under _lock.
    private void PutInPool(ReadOnlySpan<MagazineEntry> objects)
    {
        EnsurePoolRoom(objects.Length);
        foreach (var entry in objects)
        {
            var address = entry.Address;
            var slab = _owner.SlabOf(address);
            if (++slab.Pooled == ObjectsPerSlab)
            {
                AddToEmpty(slab);
            }

            _pool[_poolCount++] = address;
        }
    }

    // Called under _lock. Returns all but MinEmptySlabs completely free slabs to the page allocator, but only when they
    // hold at least half of the pool: removing them scans the whole pool, so each scan then removes at least as many
    // objects as it keeps, and the work stays proportional to the objects that were freed.
    private void ReleaseEmptySlabsIfWorthIt()
    {
        var surplus = _emptySlabs.Count - MinEmptySlabs;
        if (surplus <= 0 || (long)surplus * ObjectsPerSlab * 2 < _poolCount)
        {
            return;
        }

        // Keep the first MinEmptySlabs empty slabs, release the rest; the list holds only empty slabs, so the work is
        // the pool scan, never a walk over every slab of the cache.
        var released = _emptySlabs.GetRange(MinEmptySlabs, surplus);
        _emptySlabs.RemoveRange(MinEmptySlabs, surplus);
        foreach (var slab in released)
        {
            slab.EmptyIndex = -1;
            slab.Releasing = true;
        }

        var write = 0;
        for (var read = 0; read < _poolCount; read++)
        {
            var address = _pool[read];
            if (!_owner.SlabOf(address).Releasing)
            {
                _pool[write++] = address;
            }
        }

        _poolCount = write;
        if (_pool.Length > 256 && _poolCount < _pool.Length / 4)
        {
            Array.Resize(ref _pool, Math.Max(256, _pool.Length / 2)); // the pool array of a past burst goes too
        }

        foreach (var slab in released)
        {
            _slabs.Remove(slab);
            _owner.SetPageOwner(slab.FirstPage, 1 << slab.Order, null);
            _owner.Pages.Free(slab.FirstPage, slab.Order);
        }
    }

    // Called under _lock.
    private void AddToEmpty(Slab slab)
    {
        slab.EmptyIndex = _emptySlabs.Count;
        _emptySlabs.Add(slab);
    }

    // Called under _lock: swap-remove, O(1).
    private void RemoveFromEmpty(Slab slab)
    {
        var last = _emptySlabs[^1];
        _emptySlabs[slab.EmptyIndex] = last;
        last.EmptyIndex = slab.EmptyIndex;
        _emptySlabs.RemoveAt(_emptySlabs.Count - 1);
        slab.EmptyIndex = -1;
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
        slab.Pooled = ObjectsPerSlab;
        AddToEmpty(slab);
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
