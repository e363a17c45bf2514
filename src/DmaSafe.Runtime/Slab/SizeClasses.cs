using System.Numerics;

namespace DmaSafe;

/// <summary>
/// kmalloc's size classes and alignment rules (mm/slab_common.c), as pure functions of the request and the machine's
/// minimum alignments. See KERNEL-FACTS.md §2.
/// </summary>
internal static class SizeClasses
{
    /// <summary>The largest request served from a slab cache (<c>KMALLOC_MAX_CACHE_SIZE</c> = PAGE_SIZE &lt;&lt; 1).</summary>
    public static nuint MaxCacheSize(int pageSize) => (nuint)pageSize << 1;

    /// <summary>Linux's <c>ZERO_SIZE_PTR</c>: what <c>kmalloc(0)</c> returns. Any access faults (in .NET: a NullReferenceException).</summary>
    public const nuint ZeroSizePointer = 16;

    /// <summary>The unfolded class of a request of 1 … MaxCacheSize bytes: 8, 16, 32, 64, 96, 128, 192, then powers of two.</summary>
    public static nuint ClassFor(nuint size)
    {
        if (size <= 8) return 8;
        if (size <= 16) return 16;
        if (size <= 32) return 32;
        if (size <= 64) return 64;
        if (size <= 96) return 96;
        if (size <= 128) return 128;
        if (size <= 192) return 192;
        return (nuint)BitOperations.RoundUpToPowerOf2((ulong)size);
    }

    /// <summary>The object size a class really has once folded by the minimum alignment: round_up(class, m).</summary>
    public static nuint Fold(nuint sizeClass, int kmallocMinAlign) => AlignUp(sizeClass, (nuint)kmallocMinAlign);

    /// <summary>Natural alignment of an object size (guaranteed since 5.4): max(m, largest power of two dividing the size).</summary>
    public static nuint NaturalAlignment(nuint objectSize, int kmallocMinAlign)
    {
        var lowestBit = objectSize & (nuint)(-(nint)objectSize);
        return lowestBit > (nuint)kmallocMinAlign ? lowestBit : (nuint)kmallocMinAlign;
    }

    /// <summary>The cache name Linux shows: kmalloc-96, kmalloc-1k, kmalloc-8k.</summary>
    public static string CacheName(nuint objectSize) =>
        objectSize >= 1024 && objectSize % 1024 == 0 ? $"kmalloc-{objectSize / 1024}k" : $"kmalloc-{objectSize}";

    public static nuint AlignUp(nuint value, nuint alignment) => (value + alignment - 1) & ~(alignment - 1);
}
