using System;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// A thread's stack of free objects of one cache: the per-CPU fast path. A value type stored inline in the thread's
/// state, so a pop is one load of the count and one of the slot, with no object or bounds check between; the default
/// value is simply an empty magazine. Each entry carries the object's metadata pointer with its address, so kmalloc
/// writes the metadata without looking the slab up (kfree has just computed that pointer, and a refill computes it
/// under the cache's lock).
/// </summary>
internal struct Magazine
{
    /// <summary>Objects a magazine holds; half of it moves per refill or flush.</summary>
    public const int Capacity = 64;

    public int Count;
    public MagazineEntries Entries;

    public readonly bool IsEmpty => Count == 0;

    public readonly bool IsFull => Count == Capacity;

    /// <summary>Takes the most recently freed object; the caller has checked <see cref="IsEmpty"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MagazineEntry Pop() => Unsafe.Add(ref Unsafe.As<MagazineEntries, MagazineEntry>(ref Entries), --Count);

    /// <summary>Pushes a free object; the caller has checked <see cref="IsFull"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Push(nuint address, ObjectMeta* meta) =>
        Unsafe.Add(ref Unsafe.As<MagazineEntries, MagazineEntry>(ref Entries), Count++) = new MagazineEntry(address, meta);
}

/// <summary>A free object in a magazine: its address and its slab metadata (in a pinned array, so the pointer is stable).</summary>
internal readonly unsafe struct MagazineEntry(nuint address, ObjectMeta* meta)
{
    public readonly nuint Address = address;
    public readonly ObjectMeta* Meta = meta;
}

/// <summary>The inline slots of a <see cref="Magazine"/>.</summary>
[InlineArray(Magazine.Capacity)]
internal struct MagazineEntries
{
    private MagazineEntry _first;
}
