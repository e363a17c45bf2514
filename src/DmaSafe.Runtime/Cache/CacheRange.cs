namespace DmaSafe;

/// <summary>
/// The whole lines one active streaming mapping covers on a non-coherent device: eviction picks its victims among
/// them (the cache model lists them only when an <see cref="EvictionPolicy"/> other than None may evict). Owned and
/// reused by one mapping.
/// </summary>
internal sealed class CacheRange
{
    /// <summary>CPU address of the first line (aligned down to the line).</summary>
    public nuint Start;

    /// <summary>CPU address just past the last line (aligned up to the line).</summary>
    public nuint End;

    /// <summary>The device of the mapping, named in faults that eviction causes (meaningful while tracked).</summary>
    public DmaDevice? Device;

    /// <summary>Position in the cache model's list of tracked ranges; -1 while not tracked.</summary>
    public int Index = -1;
}
