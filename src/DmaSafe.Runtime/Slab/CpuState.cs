using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// One thread's slab state for one machine (the per-CPU data of SLUB): a magazine per cache, indexed by
/// <see cref="SlabCache.Id"/>, and the call site of its last allocation. The magazines of the first
/// <see cref="InlineMagazineCount"/> caches (the kmalloc size classes) live inside this object, so reaching one from
/// the thread-static is a single dependent load; later caches (<see cref="KmemCache"/>s) use an overflow array. Only
/// its thread touches it while the thread lives; once the thread has exited, <see cref="KmallocCaches"/> hands its
/// magazines back to the caches.
/// </summary>
internal sealed class CpuState
{
    /// <summary>
    /// Caches whose magazines are stored inline. The kmalloc caches take the first ids: 13 with 4 KiB pages; with
    /// 16 or 64 KiB pages the largest classes go past 16 and use the overflow array, which only costs a call.
    /// </summary>
    public const int InlineMagazineCount = 16;

    private InlineMagazines _inline;
    private Magazine[] _overflow = Array.Empty<Magazine>();

    public CpuState(KmallocCaches owner)
    {
        Owner = owner;
        Thread = Thread.CurrentThread;
    }

    /// <summary>
    /// The machine's kmalloc this state belongs to; null once the machine is disposed. The thread-static that caches
    /// this state outlives the machine, and through this reference it would keep every slab's metadata reachable
    /// (megabytes for a busy machine) until the thread next allocates on another machine.
    /// </summary>
    public KmallocCaches? Owner { get; private set; }

    /// <summary>The thread this state belongs to; its magazines are reclaimed once it is no longer alive.</summary>
    public Thread Thread { get; }

    /// <summary>Cuts the link to the disposed machine (see <see cref="Owner"/>); the thread then fails its next call the usual way.</summary>
    public void Detach() => Owner = null;

    /// <summary>Recently seen call sites, for interning.</summary>
    public SiteCache Sites { get; } = new();

    // A one-entry cache of the last allocation site in front of Sites: an allocation loop repeats one site, and three
    // reference/int compares against fields of this object beat hashing into the direct-mapped cache. The strings
    // come from [CallerMemberName]/[CallerFilePath], which the compiler emits as literals (one object per text).
    public string? LastMember;
    public string? LastFile;
    public int LastLine;
    public int LastSiteId;

    /// <summary>This thread's magazine of cache <paramref name="cacheId"/>; grows the overflow array for caches created later.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Magazine MagazineFor(int cacheId)
    {
        if ((uint)cacheId < InlineMagazineCount)
        {
            return ref Unsafe.Add(ref Unsafe.As<InlineMagazines, Magazine>(ref _inline), cacheId);
        }

        return ref OverflowMagazineFor(cacheId);
    }

    /// <summary>How many cache ids have a magazine slot so far (the ids beyond have never been used on this thread).</summary>
    public int MagazineSlots => InlineMagazineCount + _overflow.Length;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref Magazine OverflowMagazineFor(int cacheId)
    {
        var index = cacheId - InlineMagazineCount;
        if (index >= _overflow.Length)
        {
            Array.Resize(ref _overflow, Math.Max(index + 1, _overflow.Length * 2));
        }

        return ref _overflow[index];
    }

    /// <summary>Inline storage for the magazines of caches 0 … <see cref="InlineMagazineCount"/> - 1.</summary>
    [InlineArray(InlineMagazineCount)]
    private struct InlineMagazines
    {
        private Magazine _first;
    }
}
