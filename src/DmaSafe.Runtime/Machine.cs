using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// A simulated machine for testing driver code: a native arena of "RAM" carved up by a Linux-style page allocator
/// and kmalloc/slab, a CPU cache that is not coherent with non-coherent devices, devices, a DMA API that checks the
/// real alignment of what it maps and bounces through a swiotlb pool when needed, dma-debug checks and bounce
/// telemetry. Driver code reads and writes the memory through ordinary C# pointers.
/// </summary>
/// <remarks>Every member is thread-safe. Dispose the machine to release its native memory.</remarks>
public sealed unsafe partial class Machine : IDisposable
{
    private readonly object _devicesLock = new();
    private readonly List<DmaDevice> _devices = new();
    private readonly List<KmemCache> _caches = new();
    private int _disposed;

    /// <summary>Builds a machine; <paramref name="options"/> defaults to arm64 on Linux ≥ 6.5 (see <see cref="MachineOptions"/>).</summary>
    /// <exception cref="ArgumentException">A setting cannot describe a machine; the message names it.</exception>
    public Machine(MachineOptions? options = null)
    {
        Options = options ?? new MachineOptions();
        Options.Validate();
        Memory = new Arena(Options.MemoryBytes, Options.SwiotlbBytes, Options.PageSize);
        try
        {
            Pages = new PageAllocator(Memory, Options.PageSize);
            Slab = new KmallocCaches(this);
            Telemetry = new DmaTelemetry(this);
            InitializeDma();
        }
        catch
        {
            Memory.Dispose();
            throw;
        }
    }

    /// <summary>The options the machine was built with.</summary>
    public MachineOptions Options { get; }

    /// <summary>The bounce profile: how often mappings bounced, how many bytes, attributed to allocation and map sites.</summary>
    public BounceProfile Bounces => Telemetry.Profile;

    /// <summary>Every coherency fault the cache model has seen so far, in order.</summary>
    public IReadOnlyList<CoherencyFault> Faults => Telemetry.FaultsSnapshot();

    /// <summary>Every dma-debug violation so far (they are also thrown unless <see cref="MachineOptions.OnDebugViolation"/> says Record).</summary>
    public IReadOnlyList<DmaDebugViolation> DebugViolations => Telemetry.ViolationsSnapshot();

    /// <summary>The devices added so far.</summary>
    public IReadOnlyList<DmaDevice> Devices
    {
        get
        {
            lock (_devicesLock)
            {
                return _devices.ToArray();
            }
        }
    }

    internal Arena Memory { get; }

    internal PageAllocator Pages { get; }

    internal KmallocCaches Slab { get; }

    internal DmaTelemetry Telemetry { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Allocates <paramref name="size"/> bytes (<c>kmalloc</c>): from the kmalloc size class that fits, naturally
    /// aligned, or from the page allocator above 8 KiB. <c>Kmalloc(0)</c> returns the zero-size pointer (16), which
    /// <see cref="Kfree"/> accepts and any access to faults.
    /// </summary>
    /// <returns>The memory, or null when the machine is out of memory.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> exceeds the largest allocation the machine can make.</exception>
    public void* Kmalloc(
        nuint size,
        Gfp flags = Gfp.Kernel,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
    {
        ThrowIfDisposed();
        return Slab.Allocate(size, flags, member, file, line);
    }

    /// <summary>Allocates one <typeparamref name="T"/>; a <see cref="DmaAlignedAttribute"/> struct gets <see cref="Gfp.DmaAligned"/>.</summary>
    public T* Kmalloc<T>(
        Gfp flags = Gfp.Kernel,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
        where T : unmanaged
    {
        ThrowIfDisposed();
        return (T*)Slab.Allocate((nuint)sizeof(T), flags | DmaAlignedType<T>.Flags, member, file, line);
    }

    /// <summary>Allocates zeroed memory (<c>kzalloc</c>): <see cref="Kmalloc(nuint, Gfp, string, string, int)"/> with <see cref="Gfp.Zero"/>.</summary>
    public void* Kzalloc(
        nuint size,
        Gfp flags = Gfp.Kernel,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
    {
        ThrowIfDisposed();
        return Slab.Allocate(size, flags | Gfp.Zero, member, file, line);
    }

    /// <summary>Allocates one zeroed <typeparamref name="T"/>; a <see cref="DmaAlignedAttribute"/> struct gets <see cref="Gfp.DmaAligned"/>.</summary>
    public T* Kzalloc<T>(
        Gfp flags = Gfp.Kernel,
        [CallerMemberName] string member = "",
        [CallerFilePath] string file = "",
        [CallerLineNumber] int line = 0)
        where T : unmanaged
    {
        ThrowIfDisposed();
        return (T*)Slab.Allocate((nuint)sizeof(T), flags | Gfp.Zero | DmaAlignedType<T>.Flags, member, file, line);
    }

    /// <summary>Frees memory from <see cref="Kmalloc(nuint, Gfp, string, string, int)"/> (<c>kfree</c>). Null and the zero-size pointer are ignored.</summary>
    /// <exception cref="ArgumentException">The pointer is foreign, interior, already free, or belongs to a <see cref="KmemCache"/>.</exception>
    public void Kfree(void* p)
    {
        ThrowIfDisposed();
        Slab.Free(p);
    }

    /// <summary>The size of the object backing <paramref name="p"/> (<c>ksize</c>): the size class, or the pages; 0 for null and the zero-size pointer.</summary>
    /// <exception cref="ArgumentException">The pointer is not a live kmalloc allocation.</exception>
    public nuint Ksize(void* p)
    {
        ThrowIfDisposed();
        return Slab.Ksize(p);
    }

    /// <summary>
    /// The object size kmalloc would use for <paramref name="size"/> (<c>kmalloc_size_roundup</c>): the size class
    /// after folding by <see cref="MachineOptions.KmallocMinAlign"/>, or the page-allocator block above 8 KiB.
    /// </summary>
    public nuint KmallocSizeRoundup(nuint size) => Slab.SizeRoundup(size);

    /// <summary>
    /// Creates a cache of equal-sized objects (<c>kmem_cache_create</c>) with alignment <paramref name="align"/>
    /// (0 = the minimum) and <paramref name="flags"/>; alignment follows Linux's <c>calculate_alignment()</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, the size is 0 or above 8 KiB, or the alignment is not a power of two.</exception>
    public KmemCache CreateCache(string name, nuint objectSize, nuint align = 0, SlabFlags flags = SlabFlags.None)
    {
        ThrowIfDisposed();
        var cache = new KmemCache(this, name, objectSize, align, flags);
        lock (_devicesLock)
        {
            _caches.Add(cache);
        }

        return cache;
    }

    /// <summary>Adds a device to the bus; a <paramref name="coherent"/> device snoops the CPU caches.</summary>
    /// <exception cref="ArgumentException">The name is empty or already taken.</exception>
    public DmaDevice AddDevice(string name, bool coherent = false)
    {
        ThrowIfDisposed();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A device needs a non-empty name.", nameof(name));
        }

        lock (_devicesLock)
        {
            foreach (var existing in _devices)
            {
                if (existing.Name == name)
                {
                    throw new ArgumentException($"A device named '{name}' is already on this machine.", nameof(name));
                }
            }

            var device = new DmaDevice(this, name, coherent);
            _devices.Add(device);
            return device;
        }
    }

    /// <summary>
    /// Describes the allocation that owns <paramref name="address"/>: live or free, its requested and object sizes
    /// and its allocation site. Null for addresses outside every allocation.
    /// </summary>
    public AllocationInfo? FindAllocation(void* address)
    {
        ThrowIfDisposed();
        return Slab.Describe((nuint)address);
    }

    /// <summary>
    /// Releases the native memory. With <see cref="MachineOptions.DebugChecks"/> on, outstanding streaming mappings
    /// or coherent allocations are reported as a dma-debug leak first (<c>pending DMA allocations</c>).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            CheckLeaksAtDispose();
        }
        finally
        {
            Slab.Dispose();
            Memory.Dispose();
        }
    }

    internal void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            ThrowDisposed();
        }
    }

    private static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(Machine), "This machine has been disposed; its memory is gone and no allocation or DMA call can use it.");

    partial void InitializeDma();

    partial void CheckLeaksAtDispose();
}
