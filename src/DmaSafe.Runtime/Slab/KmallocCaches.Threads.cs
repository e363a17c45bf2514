using System.Collections.Generic;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// The per-thread states of one machine and the reclamation of those whose thread has exited: a thread that dies with
/// objects in its magazines would otherwise keep them, and the slabs holding them, forever.
/// </summary>
internal sealed partial class KmallocCaches
{
    private readonly object _registryLock = new();
    private readonly List<CpuState> _registered = new();
    private int _refillsSinceScan;

    /// <summary>
    /// Hands the magazines of exited threads back to their caches. Called when a cache's pool is empty, before it
    /// grows; checking every thread costs one <see cref="Thread.IsAlive"/> each, so a scan runs at most once per as
    /// many empty-pool refills as there are registered threads, which keeps the cost per refill constant.
    /// <paramref name="now"/> scans regardless (memory is short, see <see cref="ShrinkAll"/>).
    /// </summary>
    public void ReclaimExitedThreads(bool now = false)
    {
        List<CpuState>? exited = null;
        lock (_registryLock)
        {
            if (_registered.Count <= 1 || (++_refillsSinceScan < _registered.Count && !now))
            {
                return; // a single state is the caller's own
            }

            _refillsSinceScan = 0;
            for (var i = _registered.Count - 1; i >= 0; i--)
            {
                if (!_registered[i].Thread.IsAlive)
                {
                    (exited ??= new()).Add(_registered[i]);
                    _registered.RemoveAt(i);
                }
            }
        }

        if (exited is null)
        {
            return;
        }

        // The threads have exited, so nothing touches these magazines any more; each goes back under its cache's lock
        // (a destroyed cache drops them).
        var caches = AllCaches;
        foreach (var state in exited)
        {
            for (var id = 0; id < caches.Length && id < state.MagazineSlots; id++)
            {
                ref var magazine = ref state.MagazineFor(id);
                if (!magazine.IsEmpty)
                {
                    caches[id].Drain(ref magazine);
                }
            }
        }
    }

    /// <summary>How many threads currently have slab state on this machine (exited ones until they are reclaimed).</summary>
    public int RegisteredThreads
    {
        get
        {
            lock (_registryLock)
            {
                return _registered.Count;
            }
        }
    }

    /// <summary>At dispose: no thread's cached state may keep this machine's slab metadata reachable.</summary>
    private void DetachThreads()
    {
        lock (_registryLock)
        {
            foreach (var state in _registered)
            {
                state.Detach();
            }

            _registered.Clear();
        }
    }

    private CpuState CreateCpuState()
    {
        var state = new CpuState(this);
        lock (_registryLock)
        {
            _registered.Add(state);
        }

        return state;
    }
}
