namespace DmaSafe.Analyzers.Kmalloc;

/// <summary>
/// Which kmalloc object a request gets and where such objects start (mm/slab_common.c): the size table up to 192, powers
/// of two up to 8 KiB, pages above; folded by the kmalloc minimum alignment; natural alignment since Linux 5.4.
/// </summary>
internal static class KmallocSizeClass
{
    /// <summary>KMALLOC_MAX_CACHE_SIZE (PAGE_SIZE &lt;&lt; 1): larger requests go to the page allocator.</summary>
    public const long MaxCacheSize = 8192;

    /// <summary>The page size the page allocator aligns to.</summary>
    public const long PageSize = 4096;

    /// <summary>Larger requests fail on any machine (and doubling towards them would overflow): no class.</summary>
    public const long MaxRequest = 1L << 40;

    /// <summary>
    /// The object size and start alignment of <c>kmalloc(<paramref name="size"/>)</c> with minimum alignment
    /// <paramref name="minAlign"/> (a power of two); false for size 0 (the zero-size pointer) and negative sizes.
    /// </summary>
    public static bool TryGet(long size, int minAlign, out long objectSize, out long alignment)
    {
        objectSize = 0;
        alignment = 0;
        if (size <= 0 || size > MaxRequest || minAlign <= 0 || (minAlign & (minAlign - 1)) != 0)
        {
            return false;
        }

        if (size > MaxCacheSize)
        {
            objectSize = PageSize;
            while (objectSize < size)
            {
                objectSize <<= 1;
            }

            alignment = PageSize;
            return true;
        }

        var sizeClass = size switch
        {
            <= 8 => 8L,
            <= 16 => 16L,
            <= 32 => 32L,
            <= 64 => 64L,
            <= 96 => 96L,
            <= 128 => 128L,
            <= 192 => 192L,
            _ => NextPowerOfTwo(size),
        };

        // A minimum alignment above a class folds the class into the next multiple (m = 64: 96 -> 128; m = 128: 192 -> 256).
        objectSize = (sizeClass + minAlign - 1) / minAlign * minAlign;
        var natural = objectSize & -objectSize;
        alignment = natural > minAlign ? natural : minAlign;
        return true;
    }

    private static long NextPowerOfTwo(long value)
    {
        var result = 1L;
        while (result < value)
        {
            result <<= 1;
        }

        return result;
    }
}
