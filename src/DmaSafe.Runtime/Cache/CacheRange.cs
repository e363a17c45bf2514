namespace DmaSafe;

/// <summary>
/// The whole lines one active streaming mapping covers on a non-coherent device. The cache model keeps these ranges
/// (and only these) in step with RAM, and eviction picks its victims among them. Owned and reused by one mapping.
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
