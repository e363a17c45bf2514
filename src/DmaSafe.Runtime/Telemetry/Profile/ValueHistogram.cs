using System.Collections.Generic;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// Counts of small non-negative values (an offset within a line, a size modulo the line): a dense array of
/// lock-free counters for the usual line sizes, a locked dictionary when the range is too wide to allocate densely.
/// </summary>
internal sealed class ValueHistogram
{
    // 1024 counters (8 KiB) per histogram is the most a site pays densely; every real DmaMinAlign (64, 128, 256) fits.
    private const int DenseLimit = 1024;

    private readonly long[]? _dense;
    private readonly Dictionary<int, long>? _sparse;

    public ValueHistogram(int range)
    {
        Range = range;
        if (range <= DenseLimit)
        {
            _dense = new long[range];
        }
        else
        {
            _sparse = new Dictionary<int, long>();
        }
    }

    /// <summary>Values are in [0, Range).</summary>
    public int Range { get; }

    public void Add(int value, long count = 1)
    {
        if (_dense is not null)
        {
            Interlocked.Add(ref _dense[value], count);
            return;
        }

        lock (_sparse!)
        {
            _sparse[value] = _sparse.GetValueOrDefault(value) + count;
        }
    }

    /// <summary>The non-zero counts, smallest value first.</summary>
    public SortedDictionary<int, long> Snapshot()
    {
        var counts = new SortedDictionary<int, long>();
        if (_dense is not null)
        {
            for (var value = 0; value < _dense.Length; value++)
            {
                var count = Interlocked.Read(ref _dense[value]);
                if (count != 0)
                {
                    counts.Add(value, count);
                }
            }

            return counts;
        }

        lock (_sparse!)
        {
            foreach (var (value, count) in _sparse)
            {
                counts.Add(value, count);
            }
        }

        return counts;
    }
}
