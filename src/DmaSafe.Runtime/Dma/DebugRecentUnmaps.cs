using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// The last unmaps and frees of one device, so that dma-debug can call a second unmap of the same address a double
/// unmap (with the map site) instead of an unknown address. A ring of plain structs: remembering one costs one
/// bounds check and a handful of stores, and a release identical to the newest one costs none. Guarded by the
/// machine's DMA lock.
/// </summary>
internal sealed class DebugRecentUnmaps
{
    /// <summary>Entries remembered; a power of two.</summary>
    private const int Capacity = 64;

    private readonly Slot[] _ring = new Slot[Capacity];
    private int _next;
    private int _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Remember(DmaMapping entry)
    {
        // A driver unmapping the same buffer from the same site again: the newest slot already says all of it, and a
        // second copy would only push an older, different release out of the ring (and write another cache line).
        ref var newest = ref _ring[(_next - 1) & (Capacity - 1)];
        if (_count != 0 && newest.Bus == entry.Bus && newest.Cpu == entry.CpuAddress && newest.Size == entry.Size &&
            newest.Kind == entry.Kind && newest.Direction == entry.Direction && newest.Line == entry.Line &&
            ReferenceEquals(newest.Member, entry.Member) && ReferenceEquals(newest.File, entry.File))
        {
            return;
        }

        RememberNew(entry);
    }

    private void RememberNew(DmaMapping entry)
    {
        var i = _next;
        ref var slot = ref _ring[i];
        slot.Bus = entry.Bus;
        slot.Cpu = entry.CpuAddress;
        slot.Size = entry.Size;
        slot.Kind = entry.Kind;
        slot.Direction = entry.Direction;
        slot.Line = entry.Line;

        // A reference store costs a GC write barrier; a driver unmapping from one site keeps storing the same strings.
        if (!ReferenceEquals(slot.Member, entry.Member))
        {
            slot.Member = entry.Member;
        }

        if (!ReferenceEquals(slot.File, entry.File))
        {
            slot.File = entry.File;
        }

        _next = (i + 1) & (Capacity - 1);
        if (_count < Capacity)
        {
            _count++;
        }
    }

    /// <summary>The latest remembered release at <paramref name="bus"/>, newest first.</summary>
    public bool TryFind(ulong bus, out Released released)
    {
        for (var n = 1; n <= _count; n++)
        {
            ref readonly var slot = ref _ring[(_next - n) & (Capacity - 1)];
            if (slot.Bus == bus)
            {
                released = new Released(slot.Cpu, slot.Size, slot.Kind, slot.Direction, new SourceSite(slot.Member!, slot.File!, slot.Line));
                return true;
            }
        }

        released = default;
        return false;
    }

    /// <summary>A remembered release.</summary>
    public readonly record struct Released(nuint CpuAddress, nuint Size, MappingKind Kind, DmaDirection Direction, SourceSite Site);

    private struct Slot
    {
        public ulong Bus;
        public nuint Cpu;
        public nuint Size;
        public MappingKind Kind;
        public DmaDirection Direction;
        public int Line;
        public string? Member;
        public string? File;
    }
}
