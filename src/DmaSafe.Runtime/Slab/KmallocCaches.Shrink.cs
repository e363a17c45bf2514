namespace DmaSafe;

/// <summary>
/// Reclaim under memory pressure, after the kernel's slab shrinkers: when the page allocator cannot serve a request,
/// the free memory that caches hold back (the empty slabs each keeps for its next burst, objects in the magazines of
/// exited threads and of the asking thread) goes back to it before an allocation is reported as failed.
/// </summary>
internal sealed partial class KmallocCaches
{
    /// <summary>
    /// Returns every completely free slab of every cache to the page allocator. Takes each cache's lock in turn,
    /// never two at once, so the caller must hold none. Magazines of other live threads are left alone: only their
    /// threads touch them (so up to a magazine of objects per thread and cache stays out of reach).
    /// </summary>
    public void ShrinkAll()
    {
        // The caller's state first: the reclaim takes a lone registered state for the caller's own, and a thread that
        // only made page allocations so far has none.
        var cpu = Cpu();
        ReclaimExitedThreads(now: true);

        // The asking thread's own magazines: it is the thread running this, so they can be emptied safely. Only slots
        // that exist already: creating one could move the overflow array under a caller holding a ref into it.
        var caches = AllCaches;
        for (var id = 0; id < caches.Length && id < cpu.MagazineSlots; id++)
        {
            ref var magazine = ref cpu.MagazineFor(id);
            if (!magazine.IsEmpty)
            {
                caches[id].Drain(ref magazine);
            }
        }

        foreach (var cache in caches)
        {
            cache.Shrink();
        }
    }
}
