namespace DmaSafe;

/// <summary>How a mapping was made; dma-debug's entry types (<c>single</c>, <c>scather-gather</c>, <c>coherent</c>).</summary>
internal enum MappingKind
{
    Single,
    ScatterGather,
    Coherent,
}

/// <summary>Whether the driver has asked <c>dma_mapping_error()</c> about a mapping (dma-debug's <c>map_err_type</c>).</summary>
internal enum MapErrorCheck
{
    NotApplicable,
    NotChecked,
    Checked,
}

/// <summary>
/// One active mapping or coherent allocation of a device: what the driver mapped, where the device really reads and
/// writes (the buffer itself or its bounce slots), and what dma-debug needs to check later calls against it.
/// Instances are reused within one device's table (see <see cref="MappingTable"/>), never by another device; only
/// code holding the machine's DMA lock touches one (except <c>MappingError</c>'s lock-free check of the latest map).
/// </summary>
internal sealed class DmaMapping
{
    public MappingKind Kind;

    /// <summary>The driver's buffer (CPU address).</summary>
    public nuint CpuAddress;

    public nuint Size;

    public DmaDirection Direction;

    /// <summary>The bus address handed to the driver.</summary>
    public ulong Bus;

    /// <summary>The CPU address of the memory the device really uses: <see cref="CpuAddress"/>, or the bounce buffer.</summary>
    public nuint Target;

    /// <summary>First swiotlb slot of the bounce buffer, or -1 when the mapping did not bounce.</summary>
    public int FirstSlot = -1;

    public int SlotCount;

    /// <summary>For scatter-gather segments: the entry count the map call was given.</summary>
    public int SgCount;

    public MapErrorCheck ErrorCheck;

    /// <summary>The cache lines of <see cref="Target"/> the cache model keeps in step (non-coherent devices).</summary>
    public readonly CacheRange Lines = new();

    /// <summary>The next active mapping with the same bus address (the same buffer mapped twice).</summary>
    public DmaMapping? Next;

    public string Member = string.Empty;

    public string File = string.Empty;

    public int Line;

    public bool Bounced => FirstSlot >= 0;

    public SourceSite MapSite => new(Member, File, Line);

    /// <summary>True when [bus, bus + length) lies inside this mapping.</summary>
    public bool Contains(ulong bus, nuint length) => bus >= Bus && (ulong)length <= (ulong)Size && bus - Bus <= (ulong)Size - (ulong)length;

    /// <summary>
    /// Forgets the previous use before the instance is handed out again. The map site stays: every use sets it before
    /// anything reads it, and a driver mapping from the same call site again then rewrites no reference.
    /// <see cref="ErrorCheck"/> goes back to not-applicable: that is what tells a stale reference apart.
    /// </summary>
    public void Reset()
    {
        FirstSlot = -1;
        SlotCount = 0;
        SgCount = 0;
        ErrorCheck = MapErrorCheck.NotApplicable;
        Next = null;
    }
}
