using System.Threading;

namespace DmaSafe;

/// <summary>
/// One slab: a naturally aligned run of pages carved into equal objects, with each object's state and the site of
/// its last allocation. Each object's metadata is written only by whoever holds the object, so no lock is needed.
/// </summary>
internal sealed class Slab
{
    public const int Free = 0;
    public const int Live = 1;

    public Slab(SlabCache cache, nuint baseAddress, int firstPage, int order, int objectCount, bool captureStacks)
    {
        Cache = cache;
        Base = baseAddress;
        FirstPage = firstPage;
        Order = order;
        ObjectCount = objectCount;
        State = new int[objectCount];
        Requested = new nuint[objectCount];
        Files = new string[objectCount];
        Members = new string[objectCount];
        Lines = new int[objectCount];
        Stacks = captureStacks ? new string?[objectCount] : null;
    }

    public SlabCache Cache { get; }

    public nuint Base { get; }

    public int FirstPage { get; }

    public int Order { get; }

    public int ObjectCount { get; }

    public int[] State { get; }

    public nuint[] Requested { get; }

    public string[] Files { get; }

    public string[] Members { get; }

    public int[] Lines { get; }

    public string?[]? Stacks { get; }

    /// <summary>Index of the object holding <paramref name="address"/>, or -1 past the last object (slab tail).</summary>
    public int IndexOf(nuint address)
    {
        var index = (int)((address - Base) / Cache.Stride);
        return index < ObjectCount ? index : -1;
    }

    public nuint AddressOf(int index) => Base + (nuint)index * Cache.Stride;

    public bool IsLive(int index) => Volatile.Read(ref State[index]) == Live;

    public SourceSite SiteOf(int index) => new(Members[index] ?? string.Empty, Files[index] ?? string.Empty, Lines[index]);

    public AllocationInfo Describe(int index) =>
        new(AddressOf(index), Requested[index], Cache.ObjectSize, Cache.Name, SiteOf(index), Stacks?[index], IsLive(index));
}
