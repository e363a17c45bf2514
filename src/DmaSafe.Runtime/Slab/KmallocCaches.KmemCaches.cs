using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// Allocation from a <see cref="KmemCache"/>, which unlike a kmalloc cache can be destroyed while other threads still
/// call into it. Kept apart from <see cref="AllocateFrom"/> so the kmalloc fast path carries none of this.
/// </summary>
internal sealed unsafe partial class KmallocCaches
{
    /// <summary>
    /// <see cref="AllocateFrom"/> for a cache that a destroy may race with: the object is marked live first, then
    /// <see cref="SlabCache.ConfirmAllocation"/> asks whether a destroy that missed it has returned its pages; only
    /// then is its memory touched (zeroed) or its stack recorded. Together with the destroy's process-wide barrier
    /// this means a destroy either sees the object live (and fails) or the allocation fails: no object of a destroyed
    /// cache is ever handed out.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The cache was destroyed.</exception>
    public void* AllocateFromDestroyable(SlabCache cache, string cacheName, nuint requested, Gfp flags, string member, string file, int line)
    {
        var cpu = Cpu();
        var entry = cache.Allocate(cpu);
        var address = entry.Address;
        if (address == 0)
        {
            if (cache.Lifecycle == SlabCache.Destroyed)
            {
                ThrowDestroyed(cacheName);
            }

            return null;
        }

        ref var meta = ref *entry.Meta;
        if (meta.State != Slab.Free)
        {
            ThrowHandedOutTwice(address);
        }

        meta.Requested = requested;
        meta.Site = SiteIdOf(cpu, member, file, line);
        // The store then the load, as in an asymmetric Dekker pair: the destroy stores Destroying, runs a process-wide
        // barrier, then loads every object's state. The barrier stands in for a full fence here, so the store may sit
        // in this CPU's store buffer; it cannot be missed by the destroy and also miss its store in turn.
        Volatile.Write(ref meta.State, Slab.Live);
        if (!cache.ConfirmAllocation())
        {
            // The object's slab metadata outlives its pages (the Slab is a managed object); its memory is not touched.
            Volatile.Write(ref meta.State, Slab.Free);
            ThrowDestroyed(cacheName);
        }

        if (CaptureStacks)
        {
            RecordStack(address);
        }

        if ((flags & Gfp.Zero) != 0)
        {
            NativeMemory.Clear((void*)address, requested);
        }

        return (void*)address;
    }

    /// <summary>The exception for any use of a destroyed <see cref="KmemCache"/>.</summary>
    public static ObjectDisposedException CacheDestroyed(string cacheName) =>
        new(cacheName, $"kmem_cache '{cacheName}' has been destroyed (kmem_cache_destroy); its pages are back in the page allocator.");

    private static void ThrowDestroyed(string cacheName) => throw CacheDestroyed(cacheName);
}
