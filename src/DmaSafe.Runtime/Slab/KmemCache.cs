using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// A named cache of equal-sized objects (<c>kmem_cache</c>), created by <see cref="Machine.CreateCache"/>.
/// Alignment follows Linux's <c>calculate_alignment()</c>: <see cref="SlabFlags.HwCacheAlign"/> aligns to the L1
/// line (halved while the object fits in half of it), which is smaller than the DMA line.
/// </summary>
public sealed unsafe class KmemCache : IDisposable
{
    private readonly Machine _machine;
    private readonly SlabCache _cache;
    private int _destroyed;

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
        return _machine.Slab.AllocateFrom(_cache, ObjectSize, flags, member, file, line);
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

    /// <summary>Destroys the cache (<c>kmem_cache_destroy</c>).</summary>
    /// <exception cref="InvalidOperationException">Objects are still allocated; the message counts them and names a site.</exception>
    public void Dispose()
    {
        if (_machine.IsDisposed || Interlocked.Exchange(ref _destroyed, 1) != 0)
        {
            return;
        }

        var live = 0;
        SourceSite? example = null;
        foreach (var slab in _cache.Slabs())
        {
            for (var i = 0; i < slab.ObjectCount; i++)
            {
                if (slab.IsLive(i))
                {
                    live++;
                    example ??= slab.SiteOf(i);
                }
            }
        }

        if (live > 0)
        {
            Volatile.Write(ref _destroyed, 0);
            throw new InvalidOperationException($"kmem_cache_destroy {Name}: {live} objects remaining, e.g. one allocated at {example}.");
        }
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
        if (Volatile.Read(ref _destroyed) != 0)
        {
            throw new ObjectDisposedException(Name, $"kmem_cache '{Name}' has been destroyed.");
        }
    }
}
