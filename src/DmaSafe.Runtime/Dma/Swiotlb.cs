namespace DmaSafe;

/// <summary>
/// The swiotlb bounce pool's slot allocator (kernel/dma/swiotlb.c): 2 KiB slots at the arena's tail, grouped in
/// segments of 128 that no mapping crosses. Like Linux, each free slot stores how many free slots follow it up to the
/// next used one or the segment's end, so a search checks one number per candidate and a release fixes the run.
/// A bounce buffer starts on a slot boundary and owns its slots whole, so it never shares a cache line.
/// Every member must be called with the machine's DMA lock held.
/// </summary>
internal sealed unsafe class Swiotlb
{
    /// <summary><c>IO_TLB_SIZE</c>: bytes per slot.</summary>
    public const int SlotSize = 2048;

    /// <summary><c>IO_TLB_SEGSIZE</c>: slots per segment, hence the largest bounce (256 KiB).</summary>
    public const int SegmentSlots = 128;

    private readonly byte* _base;
    private readonly int[] _freeRun;
    private readonly int _pageSlots;
    private int _next;

    public Swiotlb(Arena arena, int pageSize)
    {
        _base = arena.SwiotlbBase;
        TotalSlots = (int)(arena.SwiotlbBytes / SlotSize);
        _pageSlots = pageSize / SlotSize;
        _freeRun = new int[TotalSlots];
        for (var slot = 0; slot < TotalSlots; slot++)
        {
            _freeRun[slot] = SegmentEnd(slot) - slot;
        }
    }

    public int TotalSlots { get; }

    public int UsedSlots { get; private set; }

    /// <summary>The largest mapping the pool can bounce (<c>swiotlb_max_mapping_size</c>).</summary>
    public static nuint MaxMappingSize => (nuint)SlotSize * SegmentSlots;

    /// <summary>Slots a bounce of <paramref name="size"/> bytes takes.</summary>
    public static int SlotsFor(nuint size) => (int)((size + SlotSize - 1) / SlotSize);

    /// <summary>The CPU address of a slot.</summary>
    public nuint AddressOf(int slot) => (nuint)(_base + (nuint)slot * SlotSize);

    /// <summary>
    /// Finds <paramref name="count"/> free contiguous slots inside one segment, round-robin from the last
    /// allocation; mappings of a page or more start on a page, as Linux does without alignment masks.
    /// </summary>
    /// <returns>The first slot, or -1 when the pool has no such run (the caller returns the mapping error).</returns>
    public int Allocate(nuint size, int count)
    {
        if (count <= 0 || count > SegmentSlots || count > TotalSlots - UsedSlots)
        {
            return -1;
        }

        var stride = size >= (nuint)(_pageSlots * SlotSize) && _pageSlots > 1 ? _pageSlots : 1;
        var start = RoundUp(_next, stride) % TotalSlots;
        var candidates = (TotalSlots + stride - 1) / stride;
        for (int tried = 0, slot = start; tried < candidates; tried++)
        {
            if (_freeRun[slot] >= count)
            {
                Take(slot, count);
                _next = slot + count >= TotalSlots ? 0 : slot + count;
                return slot;
            }

            slot += stride;
            if (slot >= TotalSlots)
            {
                slot = 0;
            }
        }

        return -1;
    }

    /// <summary>Returns slots to the pool (<c>swiotlb_release_slots</c>).</summary>
    public void Free(int first, int count)
    {
        var end = first + count;
        var segmentStart = SegmentStart(first);
        var run = end < SegmentEnd(first) ? _freeRun[end] : 0;
        for (var slot = end - 1; slot >= first; slot--)
        {
            _freeRun[slot] = ++run;
        }

        for (var slot = first - 1; slot >= segmentStart && _freeRun[slot] != 0; slot--)
        {
            _freeRun[slot] = ++run;
        }

        UsedSlots -= count;
    }

    private void Take(int first, int count)
    {
        for (var slot = first; slot < first + count; slot++)
        {
            _freeRun[slot] = 0;
        }

        // Free slots before the run now end where it starts.
        var segmentStart = SegmentStart(first);
        for (var slot = first - 1; slot >= segmentStart && _freeRun[slot] != 0; slot--)
        {
            _freeRun[slot] = first - slot;
        }

        UsedSlots += count;
    }

    private static int SegmentStart(int slot) => slot - (slot % SegmentSlots);

    private int SegmentEnd(int slot)
    {
        var end = SegmentStart(slot) + SegmentSlots;
        return end < TotalSlots ? end : TotalSlots;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
