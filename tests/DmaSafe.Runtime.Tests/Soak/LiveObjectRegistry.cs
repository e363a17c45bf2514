using System;
using System.Collections.Generic;

namespace DmaSafe.Runtime.Tests.Soak;

/// <summary>
/// Every live allocation of one machine, across all soak threads, as [base, base + ksize) ranges: a new object that
/// overlaps any live one is an allocator bug. Objects are unregistered before kfree, so an address reused by another
/// thread right after the free is never mistaken for an overlap.
/// </summary>
internal sealed class LiveObjectRegistry
{
    private readonly object _lock = new();
    private readonly SortedList<nuint, nuint> _ends = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ends.Count;
            }
        }
    }

    public void Add(nuint start, nuint length, string what)
    {
        if (length == 0)
        {
            throw new InvalidOperationException($"{what} at 0x{(ulong)start:x} has ksize 0");
        }

        var end = start + length;
        lock (_lock)
        {
            var keys = _ends.Keys;
            var index = LowerBound(keys, start);

            // The nearest object starting at or after us, and the nearest starting before us.
            if (index < keys.Count && keys[index] < end)
            {
                throw new InvalidOperationException($"{what} [0x{(ulong)start:x}, 0x{(ulong)end:x}) overlaps the live object at 0x{(ulong)keys[index]:x}..0x{(ulong)_ends.Values[index]:x}");
            }

            if (index > 0 && _ends.Values[index - 1] > start)
            {
                throw new InvalidOperationException($"{what} [0x{(ulong)start:x}, 0x{(ulong)end:x}) overlaps the live object at 0x{(ulong)keys[index - 1]:x}..0x{(ulong)_ends.Values[index - 1]:x}");
            }

            _ends.Add(start, end);
        }
    }

    public void Remove(nuint start)
    {
        lock (_lock)
        {
            if (!_ends.Remove(start))
            {
                throw new InvalidOperationException($"the soak freed 0x{(ulong)start:x}, which it never registered");
            }
        }
    }

    private static int LowerBound(IList<nuint> keys, nuint value)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (keys[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
