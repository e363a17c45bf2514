using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// A thread's stack of free objects of one cache: the per-CPU fast path. A value type stored inline in the thread's
/// magazine array, so a pop is one load of the count and one of the slot, with no object or bounds check between;
/// the default value is simply an empty magazine.
/// </summary>
internal struct Magazine
{
    /// <summary>Objects a magazine holds; half of it moves per refill or flush.</summary>
    public const int Capacity = 64;

    public int Count;
    public MagazineItems Items;

    public readonly bool IsEmpty => Count == 0;

    public readonly bool IsFull => Count == Capacity;

    /// <summary>Takes the most recently freed object; the caller has checked <see cref="IsEmpty"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nuint Pop() => Unsafe.Add(ref Unsafe.As<MagazineItems, nuint>(ref Items), --Count);

    /// <summary>Pushes a free object; the caller has checked <see cref="IsFull"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(nuint address) => Unsafe.Add(ref Unsafe.As<MagazineItems, nuint>(ref Items), Count++) = address;
}

/// <summary>The inline slots of a <see cref="Magazine"/>.</summary>
[InlineArray(Magazine.Capacity)]
internal struct MagazineItems
{
    private nuint _first;
}
