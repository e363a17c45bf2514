using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// A device's active mappings and coherent allocations, by bus address (dma-debug's hash of entries, which the
/// mechanism needs too: an unmap must find its bounce slots). Drivers keep few mappings in flight, so up to
/// <see cref="SmallLimit"/> entries sit in an array scanned in a few nanoseconds; beyond that they move to a
/// dictionary whose values chain the entries sharing one bus address (the same buffer mapped twice).
/// Every member must be called with the machine's DMA lock held.
/// </summary>
internal sealed class MappingTable
{
    /// <summary>Entries kept in the array before the table switches to the dictionary.</summary>
    public const int SmallLimit = 16;

    private readonly DmaMapping[] _small = new DmaMapping[SmallLimit];
    private Dictionary<ulong, DmaMapping>? _byBus;

    /// <summary>The entry the last release handed back, so steady map/unmap traffic allocates nothing.</summary>
    private DmaMapping? _spare;

    /// <summary>
    /// Whether <see cref="_spare"/> is free to hand out. A flag rather than nulling the field: a reference store
    /// costs a GC write barrier, and a map/unmap loop then hands the very same entry back and forth without one.
    /// </summary>
    private bool _hasSpare;

    public int Count { get; private set; }

    /// <summary>
    /// A fresh entry: the table's spare when it has one. A field guarded by the DMA lock rather than a thread-static:
    /// a thread-static read costs a TLS lookup per call, and the lock is held anyway.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DmaMapping Rent()
    {
        if (!_hasSpare)
        {
            return new DmaMapping();
        }

        _hasSpare = false;
        return _spare!;
    }

    /// <summary>Hands an entry that left every table back for reuse.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return(DmaMapping entry)
    {
        entry.Reset();
        if (!ReferenceEquals(_spare, entry))
        {
            _spare = entry;
        }

        _hasSpare = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(DmaMapping entry)
    {
        if (_byBus is null && Count < SmallLimit)
        {
            // Slots past Count keep the entries that last sat there (see Remove): a remap usually finds itself in place.
            ref var slot = ref _small[Count];
            if (!ReferenceEquals(slot, entry))
            {
                slot = entry;
            }

            Count++;
            return;
        }

        AddBeyondSmall(entry);
    }

    private void AddBeyondSmall(DmaMapping entry)
    {
        if (_byBus is null)
        {
            _byBus = new Dictionary<ulong, DmaMapping>(SmallLimit * 2);
            for (var i = 0; i < Count; i++)
            {
                AddToDictionary(_small[i]);
                _small[i] = null!;
            }
        }

        AddToDictionary(entry);
        Count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Remove(DmaMapping entry)
    {
        if (_byBus is null)
        {
            // A reference scan: Array.IndexOf goes through EqualityComparer and a virtual Equals per element.
            var index = 0;
            while (!ReferenceEquals(_small[index], entry))
            {
                index++;
            }

            // The vacated last slot keeps its reference (only slots below Count are read): nulling it, and storing it
            // back on the next Add, would cost two GC write barriers per map/unmap. What it retains is a reset entry.
            var last = Count - 1;
            if (index != last)
            {
                _small[index] = _small[last];
            }

            Count = last;
            return;
        }

        RemoveFromDictionary(entry);
        if (--Count == 0)
        {
            _byBus = null; // back to the array once the burst is over
        }
    }

    /// <summary>
    /// The entry an unmap or free names: the one at <paramref name="bus"/> that fits size, kind and direction best
    /// (dma-debug's best fit), or null when nothing is mapped there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DmaMapping? FindExact(ulong bus, nuint size, MappingKind kind, DmaDirection direction)
    {
        // One mapping in flight (the usual map, use, unmap): the only candidate is the best fit if its address matches.
        if (Count == 1 && _byBus is null)
        {
            var only = _small[0];
            return only.Bus == bus ? only : null;
        }

        return FindBestFit(bus, size, kind, direction);
    }

    private DmaMapping? FindBestFit(ulong bus, nuint size, MappingKind kind, DmaDirection direction)
    {
        DmaMapping? best = null;
        var bestScore = -1;
        if (_byBus is null)
        {
            for (var i = 0; i < Count; i++)
            {
                var entry = _small[i];
                if (entry.Bus == bus && Score(entry, size, kind, direction) is var score && score > bestScore)
                {
                    (best, bestScore) = (entry, score);
                    if (score == PerfectScore)
                    {
                        break; // nothing later can beat it, and ties keep the first
                    }
                }
            }
        }
        else if (_byBus.TryGetValue(bus, out var chained))
        {
            for (; chained is not null; chained = chained.Next)
            {
                if (Score(chained, size, kind, direction) is var score && score > bestScore)
                {
                    (best, bestScore) = (chained, score);
                }
            }
        }

        return best;
    }

    /// <summary>The first entry at exactly <paramref name="bus"/> whose map result nobody has checked yet, for <c>dma_mapping_error</c>.</summary>
    public DmaMapping? FindUnchecked(ulong bus)
    {
        if (_byBus is null)
        {
            for (var i = 0; i < Count; i++)
            {
                if (_small[i].Bus == bus && _small[i].ErrorCheck == MapErrorCheck.NotChecked)
                {
                    return _small[i];
                }
            }

            return null;
        }

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
        foreach (var entry in All())
        {
            if (entry.Contains(bus, length))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The entry whose range holds the first byte at <paramref name="bus"/>, whatever the length (for messages).</summary>
    public DmaMapping? FindHolding(ulong bus) => FindContaining(bus, 1);

    /// <summary>Every active entry (for the leak report at dispose).</summary>
    public List<DmaMapping> Snapshot() => new(All());

    private IEnumerable<DmaMapping> All()
    {
        if (_byBus is null)
        {
            for (var i = 0; i < Count; i++)
            {
                yield return _small[i];
            }

            yield break;
        }

        foreach (var head in _byBus.Values)
        {
            for (var entry = head; entry is not null; entry = entry.Next)
            {
                yield return entry;
            }
        }
    }

    private const int PerfectScore = 7;

    /// <summary>dma-debug's best-fit weights: size matters most, then kind, then direction.</summary>
    private static int Score(DmaMapping entry, nuint size, MappingKind kind, DmaDirection direction) =>
        (entry.Size == size ? 4 : 0) + (entry.Kind == kind ? 2 : 0) + (entry.Direction == direction ? 1 : 0);

    private void AddToDictionary(DmaMapping entry)
    {
        if (_byBus!.TryGetValue(entry.Bus, out var head))
        {
            entry.Next = head;
        }

        _byBus[entry.Bus] = entry;
    }

    private void RemoveFromDictionary(DmaMapping entry)
    {
        var head = _byBus![entry.Bus];
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
    }
}
