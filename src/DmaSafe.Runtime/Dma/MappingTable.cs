using System.Collections.Generic;

namespace DmaSafe;

/// <summary>
/// A device's active mappings and coherent allocations, by bus address (dma-debug's hash of entries, which the
/// mechanism needs too: an unmap must find its bounce slots). The same buffer may be mapped more than once, so
/// entries with one bus address form a chain. Every member must be called with the machine's DMA lock held.
/// </summary>
internal sealed class MappingTable
{
    [System.ThreadStatic]
    private static DmaMapping? t_spare;

    private readonly Dictionary<ulong, DmaMapping> _byBus = new();

    public int Count { get; private set; }

    /// <summary>A fresh entry: this thread's spare when it has one, so steady map/unmap traffic allocates nothing.</summary>
    public static DmaMapping Rent()
    {
        var entry = t_spare;
        if (entry is null)
        {
            return new DmaMapping();
        }

        t_spare = null;
        return entry;
    }

    /// <summary>Hands an entry that left every table back for reuse.</summary>
    public static void Return(DmaMapping entry)
    {
        entry.Reset();
        t_spare = entry;
    }

    public void Add(DmaMapping entry)
    {
        if (_byBus.TryGetValue(entry.Bus, out var head))
        {
            entry.Next = head;
        }

        _byBus[entry.Bus] = entry;
        Count++;
    }

    public void Remove(DmaMapping entry)
    {
        var head = _byBus[entry.Bus];
        if (ReferenceEquals(head, entry))
        {
            if (entry.Next is null)
            {
                _byBus.Remove(entry.Bus);
            }
            else
            {
                _byBus[entry.Bus] = entry.Next;
            }
        }
        else
        {
            var previous = head;
            while (!ReferenceEquals(previous.Next, entry))
            {
                previous = previous.Next!;
            }

            previous.Next = entry.Next;
        }

        entry.Next = null;
        Count--;
    }

    /// <summary>
    /// The entry an unmap or free names: the one at <paramref name="bus"/> that fits size, kind and direction best
    /// (dma-debug's best fit), or null when nothing is mapped there.
    /// </summary>
    public DmaMapping? FindExact(ulong bus, nuint size, MappingKind kind, DmaDirection direction)
    {
        if (!_byBus.TryGetValue(bus, out var best) || best.Next is null)
        {
            return best;
        }

        var bestScore = -1;
        for (var entry = best; entry is not null; entry = entry.Next)
        {
            var score = (entry.Size == size ? 4 : 0) + (entry.Kind == kind ? 2 : 0) + (entry.Direction == direction ? 1 : 0);
            if (score > bestScore)
            {
                (best, bestScore) = (entry, score);
            }
        }

        return best;
    }

    /// <summary>The first entry at exactly <paramref name="bus"/> with the given error-check state, for <c>dma_mapping_error</c>.</summary>
    public DmaMapping? FindUnchecked(ulong bus)
    {
        _byBus.TryGetValue(bus, out var entry);
        for (; entry is not null; entry = entry.Next)
        {
            if (entry.ErrorCheck == MapErrorCheck.NotChecked)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The entry holding [bus, bus + length) (a partial sync or a device access), or null.</summary>
    public DmaMapping? FindContaining(ulong bus, nuint length)
    {
        if (_byBus.TryGetValue(bus, out var entry))
        {
            for (; entry is not null; entry = entry.Next)
            {
                if (entry.Contains(bus, length))
                {
                    return entry;
                }
            }
        }

        foreach (var head in _byBus.Values)
        {
            for (entry = head; entry is not null; entry = entry.Next)
            {
                if (entry.Contains(bus, length))
                {
                    return entry;
                }
            }
        }

        return null;
    }

    /// <summary>The entry whose range holds the first byte at <paramref name="bus"/>, whatever the length (for messages).</summary>
    public DmaMapping? FindHolding(ulong bus) => FindContaining(bus, 1);

    /// <summary>Every active entry (for the leak report at dispose).</summary>
    public List<DmaMapping> Snapshot()
    {
        var all = new List<DmaMapping>(Count);
        foreach (var head in _byBus.Values)
        {
            for (var entry = head; entry is not null; entry = entry.Next)
            {
                all.Add(entry);
            }
        }

        return all;
    }
}
