namespace DmaSafe;

/// <summary>
/// The last unmaps and frees of one device, so that dma-debug can call a second unmap of the same address a double
/// unmap (with the map site) instead of an unknown address. Column arrays rather than an array of records keep the
/// per-unmap cost to a handful of stores. Guarded by the machine's DMA lock.
/// </summary>
internal sealed class DebugRecentUnmaps
{
    /// <summary>Entries remembered; a power of two.</summary>
    private const int Capacity = 64;

    private readonly ulong[] _bus = new ulong[Capacity];
    private readonly nuint[] _cpu = new nuint[Capacity];
    private readonly nuint[] _size = new nuint[Capacity];
    private readonly int[] _kindAndDirection = new int[Capacity];
    private readonly string[] _member = new string[Capacity];
    private readonly string[] _file = new string[Capacity];
    private readonly int[] _line = new int[Capacity];
    private int _next;
    private int _count;

    public void Remember(DmaMapping entry)
    {
        var i = _next;
        _bus[i] = entry.Bus;
        _cpu[i] = entry.CpuAddress;
        _size[i] = entry.Size;
        _kindAndDirection[i] = ((int)entry.Kind << 8) | (int)entry.Direction;
        _member[i] = entry.Member;
        _file[i] = entry.File;
        _line[i] = entry.Line;
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
            var i = (_next - n) & (Capacity - 1);
            if (_bus[i] == bus)
            {
                released = new Released(
                    _cpu[i],
                    _size[i],
                    (MappingKind)(_kindAndDirection[i] >> 8),
                    (DmaDirection)(_kindAndDirection[i] & 0xff),
                    new SourceSite(_member[i], _file[i], _line[i]));
                return true;
            }
        }

        released = default;
        return false;
    }

    /// <summary>A remembered release.</summary>
    public readonly record struct Released(nuint CpuAddress, nuint Size, MappingKind Kind, DmaDirection Direction, SourceSite Site);
}
