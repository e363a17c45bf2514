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
/// burst (SLUB's <c>min_partial</c>), unless memory runs short (<see cref="Shrink"/>). A <see cref="KmemCache"/> can
/// be destroyed (<see cref="Destroy"/>): its pages go back and it never hands out or takes back an object again.
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
    private int _lifecycle;                           // Alive, Destroying or Destroyed; Destroyed is set under _lock

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

    /// <summary>The cache is in use.</summary>
    public const int Alive = 0;

    /// <summary>A destroy is deciding whether objects are still live (<see cref="TryBeginDestroy"/>).</summary>
    public const int Destroying = 1;

    /// <summary>The cache's pages are gone; it hands out nothing and takes nothing back.</summary>
    public const int Destroyed = 2;

    /// <summary><see cref="Alive"/>, <see cref="Destroying"/> or <see cref="Destroyed"/>.</summary>
    public int Lifecycle => Volatile.Read(ref _lifecycle);

    /// <summary>Takes a free object; an entry with address 0 when the machine is out of memory or the cache is destroyed.</summary>
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

    /// <summary>
    /// Takes back every object of a magazine that its thread no longer uses (the thread has exited, or it is the
    /// caller's own and memory is short); the magazine is left empty. A destroyed cache's objects are simply dropped:
    /// their pages went back with the cache.
    /// </summary>
    public void Drain(ref Magazine magazine)
    {
        lock (_lock)
        {
            if (_lifecycle != Destroyed)
            {
                PutInPool(((Span<MagazineEntry>)magazine.Entries)[..magazine.Count]);
                ReleaseEmptySlabsIfWorthIt();
            }
        }

        magazine.Count = 0;
    }

    /// <summary>
    /// Returns every completely free slab to the page allocator, the <see cref="MinEmptySlabs"/> kept for the next
    /// burst included (a shrinker's <c>kmem_cache_shrink</c>). Returns the pages released.
    /// </summary>
    public int Shrink()
    {
        lock (_lock)
        {
            return _lifecycle == Destroyed ? 0 : ReleaseEmptySlabs(keep: 0);
        }
    }

    /// <summary>
    /// Starts a destroy: from now until <see cref="Destroy"/> or <see cref="AbortDestroy"/>, an allocation that
    /// completes waits for the decision (<see cref="ConfirmAllocation"/>). Returns false when the cache is already
    /// destroyed; waits while another thread is deciding.
    /// </summary>
    public bool TryBeginDestroy()
    {
        var spin = new SpinWait();
        while (true)
        {
            var state = Interlocked.CompareExchange(ref _lifecycle, Destroying, Alive);
            if (state == Alive)
            {
                return true;
            }

            if (state == Destroyed)
            {
                return false;
            }

            spin.SpinOnce();
        }
    }

    /// <summary>Objects were still live: the cache stays in use, as Linux leaves a cache whose shutdown failed.</summary>
    public void AbortDestroy() => Volatile.Write(ref _lifecycle, Alive);

    /// <summary>
    /// Finishes a destroy the caller has begun and found no live object for: every slab's pages go back to the page
    /// allocator. Objects still sitting in threads' magazines are never used again (refills, flushes and drains of a
    /// destroyed cache drop them, and its allocations fail). Returns the pages released.
    /// </summary>
    public int Destroy()
    {
        lock (_lock)
        {
            Debug.Assert(_lifecycle == Destroying, "Destroy without TryBeginDestroy");
            var pages = 0;
            foreach (var slab in _slabs)
            {
                _owner.SetPageOwner(slab.FirstPage, 1 << slab.Order, null);
                _owner.Pages.Free(slab.FirstPage, slab.Order);
                pages += 1 << slab.Order;
            }

            _slabs.Clear();
            _emptySlabs.Clear();
            _poolCount = 0;
            _pool = Array.Empty<nuint>();
            Volatile.Write(ref _lifecycle, Destroyed);
            return pages;
        }
    }

    /// <summary>
    /// Called by an allocation of a destroyable cache after it has marked its object live and before it touches the
    /// object's memory: true when the cache is alive, false when a destroy that did not see the object has returned
    /// its pages (the caller must drop the object). While a destroy is deciding, waits for its decision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ConfirmAllocation() => Volatile.Read(ref _lifecycle) == Alive || WaitForDestroyDecision();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool WaitForDestroyDecision()
    {
        var spin = new SpinWait();
        int state;
        while ((state = Volatile.Read(ref _lifecycle)) == Destroying)
        {
            spin.SpinOnce();
        }

        return state == Alive;
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

        if (TryRefill(ref magazine))
        {
            return true;
        }

        if (Lifecycle == Destroyed)
        {
            return false;
        }

        // Out of pages. Like the kernel's shrinkers under reclaim: every cache returns its empty slabs (and exited
        // threads their magazines), then one more try. Outside our lock, which the shrink takes in its turn.
        _owner.ShrinkAll();
        return TryRefill(ref magazine);
    }

    private bool TryRefill(ref Magazine magazine)
    {
        lock (_lock)
        {
            if (_lifecycle == Destroyed || (_poolCount == 0 && !Grow()))
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
            if (_lifecycle != Destroyed) // else the objects' pages went back with the cache
            {
                PutInPool(((Span<MagazineEntry>)magazine.Entries)[(magazine.Count - half)..magazine.Count]);
                ReleaseEmptySlabsIfWorthIt();
            }
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

        ReleaseEmptySlabs(MinEmptySlabs);
    }

    // Called under _lock: returns all but `keep` empty slabs to the page allocator; returns the pages released.
    private int ReleaseEmptySlabs(int keep)
    {
        var surplus = _emptySlabs.Count - keep;
        if (surplus <= 0)
        {
            return 0;
        }

        // Keep the first `keep` empty slabs, release the rest; the list holds only empty slabs, so the work is the
        // pool scan, never a walk over every slab of the cache.
        var released = _emptySlabs.GetRange(keep, surplus);
        _emptySlabs.RemoveRange(keep, surplus);
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

        var pages = 0;
        foreach (var slab in released)
        {
            _slabs.Remove(slab);
            _owner.SetPageOwner(slab.FirstPage, 1 << slab.Order, null);
            _owner.Pages.Free(slab.FirstPage, slab.Order);
            pages += 1 << slab.Order;
        }

        return pages;
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
