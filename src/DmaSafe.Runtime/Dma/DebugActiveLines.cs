using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// dma-debug's active-cacheline tracker: how many writable mappings start in each L1 line. A driver has few
/// mappings in flight, so a short array of (line, count) serves until it fills; a dictionary takes over beyond.
/// Guarded by the machine's DMA lock.
/// </summary>
internal sealed class DebugActiveLines
{
    private const int SmallLimit = 16;

    // (line, count) pairs side by side: a map and its unmap touch one array line, not one per column.
    private readonly LineCount[] _small = new LineCount[SmallLimit];
    private int _used;
    private Dictionary<nuint, int>? _many;

    /// <summary>How many tracked mappings start in <paramref name="line"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int CountOf(nuint line) => _used == 0 && _many is null ? 0 : CountOfAny(line);

    /// <summary>One more mapping starts in <paramref name="line"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment(nuint line)
    {
        // The common case, one buffer in flight at a time, stays in the caller.
        if (_used == 0 && _many is null)
        {
            _small[0] = new LineCount(line, 1);
            _used = 1;
            return;
        }

        IncrementAny(line);
    }

    /// <summary>A mapping that starts in <paramref name="line"/> ended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decrement(nuint line)
    {
        if (_used == 1 && _many is null && _small[0].Line == line)
        {
            if (--_small[0].Count == 0)
            {
                _used = 0;
            }

            return;
        }

        DecrementAny(line);
    }

    private int CountOfAny(nuint line)
    {
        if (_many is not null)
        {
            return _many.TryGetValue(line, out var count) ? count : 0;
        }

        var index = IndexOf(line);
        return index < 0 ? 0 : _small[index].Count;
    }

    private void IncrementAny(nuint line)
    {
        if (_many is not null)
        {
            _many.TryGetValue(line, out var count);
            _many[line] = count + 1;
            return;
        }

        var index = IndexOf(line);
        if (index >= 0)
        {
            _small[index].Count++;
            return;
        }

        if (_used == SmallLimit)
        {
            _many = new Dictionary<nuint, int>(SmallLimit * 2);
            for (var i = 0; i < _used; i++)
            {
                _many[_small[i].Line] = _small[i].Count;
            }

            _used = 0;
            _many[line] = 1;
            return;
        }

        _small[_used++] = new LineCount(line, 1);
    }

    private void DecrementAny(nuint line)
    {
        if (_many is not null)
        {
            if (_many.TryGetValue(line, out var count))
            {
                if (count <= 1)
                {
                    _many.Remove(line);
                    if (_many.Count == 0)
                    {
                        _many = null;
                    }
                }
                else
                {
                    _many[line] = count - 1;
                }
            }

            return;
        }

        var index = IndexOf(line);
        if (index >= 0 && --_small[index].Count == 0)
        {
            _small[index] = _small[--_used];
        }
    }

    private int IndexOf(nuint line)
    {
        for (var i = 0; i < _used; i++)
        {
            if (_small[i].Line == line)
            {
                return i;
            }
        }

        return -1;
    }

    private struct LineCount
    {
        public nuint Line;
        public int Count;

        public LineCount(nuint line, int count)
        {
            Line = line;
            Count = count;
        }
    }
}
