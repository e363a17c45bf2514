namespace DmaSafe.Analyzers.Layout;

/// <summary>The integer arithmetic of layouts and cache lines, in one place so the rule and the fixes agree.</summary>
internal static class LayoutMath
{
    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="alignment"/> (any positive alignment).</summary>
    public static long AlignUp(long value, long alignment)
    {
        if (alignment <= 1)
        {
            return value;
        }

        var remainder = value % alignment;
        return remainder == 0 ? value : value + (alignment - remainder);
    }

    /// <summary>Rounds <paramref name="value"/> down to a multiple of <paramref name="alignment"/>.</summary>
    public static long AlignDown(long value, long alignment) => alignment <= 1 ? value : value - (value % alignment);

    /// <summary>Index of the line holding byte <paramref name="offset"/>.</summary>
    public static long LineOf(long offset, int lineSize) => offset / lineSize;

    /// <summary>First and last line index touched by the non-empty range [start, end).</summary>
    public static (long First, long Last) LinesOf(long start, long end, int lineSize) =>
        (start / lineSize, (end - 1) / lineSize);

    /// <summary>Whether the half-open ranges [a, aEnd) and [b, bEnd) share at least one byte.</summary>
    public static bool Overlaps(long a, long aEnd, long b, long bEnd) => a < bEnd && b < aEnd;
}
