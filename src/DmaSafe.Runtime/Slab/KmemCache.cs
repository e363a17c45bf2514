using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// A named cache of equal-sized objects (<c>kmem_cache</c>), created by <see cref="Machine.CreateCache"/>.
/// Alignment follows Linux's <c>calculate_alignment()</c>: <see cref="SlabFlags.HwCacheAlign"/> aligns to the L1
/// line (halved while the object fits in half of it), which is smaller than the DMA line.
/// <see cref="Dispose"/> is <c>kmem_cache_destroy</c>: with every object freed, the cache's pages go back to the
/// machine; with objects still allocated, it throws and the cache stays usable (see <see cref="Dispose"/>).
/// </summary>
public sealed unsafe class KmemCache : IDisposable
{
    private readonly Machine _machine;
    private readonly SlabCache _cache;

    internal KmemCache(Machine machine, string name, nuint objectSize, nuint align, SlabFlags flags)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A cache needs a non-empty name.", nameof(name));
        }

        var maxSize = SizeClasses.MaxCacheSize(machine.Options.PageSize);
        if (objectSize == 0 || objectSize > maxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(objectSize), (ulong)objectSize, $"Cache '{name}': object size must be 1 … {(ulong)maxSize} bytes.");
        }

        if (align != 0 && (!MachineOptions.IsPowerOfTwo((long)align) || align > (nuint)machine.Options.PageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(align), (ulong)align, $"Cache '{name}': alignment must be 0 or a power of two up to the page size.");
        }

        _machine = machine;
        Name = name;
        Flags = flags;
        Alignment = CalculateAlignment(flags, align, objectSize, machine.Options.L1CacheLineSize);
        ObjectSize = SizeClasses.AlignUp(objectSize, Alignment);
        _cache = machine.Slab.CreateCache(name, ObjectSize, Alignment, isKmalloc: false);
    }

    /// <summary>The cache's name.</summary>
    public string Name { get; }

    /// <summary>The flags it was created with.</summary>
    public SlabFlags Flags { get; }

    /// <summary>Where objects start: every object address is a multiple of this.</summary>
    public nuint Alignment { get; }

    /// <summary>The size of each object after rounding up to <see cref="Alignment"/>.</summary>
    public nuint ObjectSize { get; }

    /// <summary>Allocates one object (<c>kmem_cache_alloc</c>); null when the machine is out of memory.</summary>
    public void* Alloc(
        Gfp flags = Gfp.Kernel,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
    {
        ThrowIfUnusable();
        return _machine.Slab.AllocateFromDestroyable(_cache, Name, ObjectSize, flags, member, file, line);
    }

    /// <summary>Frees an object of this cache (<c>kmem_cache_free</c>).</summary>
    /// <exception cref="ArgumentException">The pointer is not a live object of this cache.</exception>
    public void Free(void* p)
    {
        ThrowIfUnusable();
        var address = (nuint)p;
        if (!_machine.Slab.TryFindObject(address, out var span) || span.Owner is not Slab slab || slab.Cache != _cache)
        {
            throw new ArgumentException($"kmem_cache_free({Name}) of 0x{(ulong)address:x}: the pointer is not an object of this cache.", nameof(p));
        }

        _machine.Slab.FreeObject(slab, address, $"kmem_cache_free({Name})");
    }

    /// <summary>
    /// Destroys the cache (<c>kmem_cache_destroy</c>) and returns its pages to the machine. Objects that other threads
    /// freed into their per-thread magazines are freed objects like any other; none is handed out again.
    /// </summary>
    /// <remarks>
    /// With objects still allocated, Linux warns ("Objects remaining in &lt;cache&gt; on __kmem_cache_shutdown()")
    /// and leaves the cache in place. Here the warning is an <see cref="InvalidOperationException"/> naming the cache,
    /// the count, the first object and the allocation sites; the cache is not destroyed and keeps working, so the
    /// objects can be freed and the cache destroyed again. Destroying twice, or after the machine, does nothing.
    /// Allocating from the cache while another thread destroys it either succeeds before the destroy (which then fails
    /// on that object) or throws <see cref="ObjectDisposedException"/>.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Objects are still allocated; the message counts them and names their sites.</exception>
    public void Dispose()
    {
        if (_machine.IsDisposed || !_cache.TryBeginDestroy())
        {
            return;
        }

        // Every thread's earlier stores (an allocation marking its object live) become visible before the scan; an
        // allocation that marks its object live after this point finds the destroy under way and waits for the
        // decision (SlabCache.ConfirmAllocation), like the IPIs with which SLUB's flush_all reaches every CPU.
        LiveObjects live;
        try
        {
            Interlocked.MemoryBarrierProcessWide();
            live = LiveObjects.Of(_cache);
        }
        catch
        {
            _cache.AbortDestroy(); // never leave allocations waiting on a decision that will not come
            throw;
        }

        if (live.Count > 0)
        {
            _cache.AbortDestroy();
            throw new InvalidOperationException(
                $"kmem_cache_destroy {Name}: Slab cache still has objects: {live.Count} objects remaining in {Name} on __kmem_cache_shutdown() " +
                $"(the first at 0x{(ulong)live.FirstAddress:x}), allocated at {live.DescribeSites()}. The cache was not destroyed; free them and destroy it again." +
                (live.FirstStack is null ? string.Empty : $" The first was allocated at:{Environment.NewLine}{live.FirstStack}"));
        }

        _cache.Destroy();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (object size {(ulong)ObjectSize}, align {(ulong)Alignment})";

    /// <summary>Linux's <c>calculate_alignment()</c>, then the slab minimum (8) rounded to the pointer size.</summary>
    internal static nuint CalculateAlignment(SlabFlags flags, nuint align, nuint size, int l1LineSize)
    {
        if ((flags & SlabFlags.HwCacheAlign) != 0)
        {
            var line = (nuint)l1LineSize;
            while (size <= line / 2)
            {
                line /= 2;
            }

            align = Math.Max(align, line);
        }

        align = Math.Max(align, 8);
        return SizeClasses.AlignUp(align, (nuint)sizeof(void*));
    }

    private void ThrowIfUnusable()
    {
        _machine.ThrowIfDisposed();
        if (_cache.Lifecycle == SlabCache.Destroyed)
        {
            throw KmallocCaches.CacheDestroyed(Name);
        }
    }
}
