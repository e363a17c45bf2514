using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// One thread's slab state for one machine (the per-CPU data of SLUB): a magazine per cache, indexed by
/// <see cref="SlabCache.Id"/>, and the call site of its last allocation. Only its thread touches it while the thread
/// lives; once the thread has exited, <see cref="KmallocCaches"/> drains its magazines back to the caches.
/// </summary>
internal sealed class CpuState
{
    private Magazine[] _magazines;

    public CpuState(KmallocCaches owner, int cacheCount)
    {
        Owner = owner;
        Thread = Thread.CurrentThread;
        _magazines = new Magazine[Math.Max(cacheCount, 16)];
    }

    public KmallocCaches Owner { get; }

    /// <summary>The thread this state belongs to; its magazines are reclaimed once it is no longer alive.</summary>
    public Thread Thread { get; }

    /// <summary>Set once the magazines have been handed back (the thread exited or the machine was disposed).</summary>
    public bool Drained { get; set; }

    /// <summary>Recently seen call sites, for interning.</summary>
    public SiteCache Sites { get; } = new();

    // A one-entry cache of the last allocation site in front of Sites: an allocation loop repeats one site, and three
    // reference/int compares against fields of this object beat hashing into the direct-mapped cache. The strings
    // come from [CallerMemberName]/[CallerFilePath], which the compiler emits as literals (one object per text).
    public string? LastMember;
    public string? LastFile;
    public int LastLine;
    public int LastSiteId;

    /// <summary>This thread's magazine of cache <paramref name="cacheId"/>; grows the array for caches created later.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Magazine MagazineFor(int cacheId)
    {
        var magazines = _magazines;
        if ((uint)cacheId < (uint)magazines.Length)
        {
            return ref magazines[cacheId];
        }

        return ref Grow(cacheId);
    }

    /// <summary>The magazines for draining; only call when the owning thread cannot be using them.</summary>
    public Span<Magazine> AllMagazines() => _magazines;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref Magazine Grow(int cacheId)
    {
        Array.Resize(ref _magazines, Math.Max(cacheId + 1, _magazines.Length * 2));
        return ref _magazines[cacheId];
    }
}
