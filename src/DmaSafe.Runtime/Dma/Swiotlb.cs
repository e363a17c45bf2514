using System;

namespace DmaSafe;

/// <summary>
/// The swiotlb bounce pool's slot allocator (kernel/dma/swiotlb.c): 2 KiB slots at the arena's tail, grouped in
/// segments of 128 that no mapping crosses. Each segment's free slots are one 128-bit mask, so finding a run of
/// n free slots is a few shifts and ANDs (Linux keeps a per-slot free-run count instead, whose upkeep walks up to a
/// segment per call). A bounce buffer starts on a slot boundary and owns its slots whole, so it never shares a
/// cache line. Every member must be called with the machine's DMA lock held.
/// </summary>
internal sealed unsafe class Swiotlb
{
    /// <summary><c>IO_TLB_SIZE</c>: bytes per slot.</summary>
    public const int SlotSize = 2048;

    /// <summary><c>IO_TLB_SEGSIZE</c>: slots per segment, hence the largest bounce (256 KiB).</summary>
    public const int SegmentSlots = 128;

    private readonly byte* _base;
    private readonly UInt128[] _free;
    private readonly int _pageSlots;
    private readonly UInt128 _pageStarts;
    private int _nextSegment;

    public Swiotlb(Arena arena, int pageSize)
    {
        _base = arena.SwiotlbBase;
        TotalSlots = (int)(arena.SwiotlbBytes / SlotSize);
        _pageSlots = pageSize / SlotSize;
        _free = new UInt128[(TotalSlots + SegmentSlots - 1) / SegmentSlots];
        for (var segment = 0; segment < _free.Length; segment++)
        {
            _free[segment] = RunMask(Math.Min(SegmentSlots, TotalSlots - segment * SegmentSlots));
        }

        for (var slot = 0; slot < SegmentSlots; slot += _pageSlots)
        {
            _pageStarts |= UInt128.One << slot;
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
    /// Finds <paramref name="count"/> free contiguous slots inside one segment, starting with the segment that served
    /// last; mappings of a page or more start on a page, as Linux does without alignment masks.
    /// </summary>
    /// <returns>The first slot, or -1 when the pool has no such run (the caller returns the mapping error).</returns>
    public int Allocate(nuint size, int count)
    {
        if (count <= 0 || count > SegmentSlots || count > TotalSlots - UsedSlots)
        {
            return -1;
        }

        var starts = size >= (nuint)(_pageSlots * SlotSize) && _pageSlots > 1 ? _pageStarts : UInt128.MaxValue;
        for (int tried = 0, segment = _nextSegment; tried < _free.Length; tried++, segment++)
        {
            if (segment == _free.Length)
            {
                segment = 0; // wrap without a division per call
            }

            var candidates = RunStarts(_free[segment], count) & starts;
            if (candidates == UInt128.Zero)
            {
                continue;
            }

            var first = (int)UInt128.TrailingZeroCount(candidates);
            _free[segment] &= ~(RunMask(count) << first);
            _nextSegment = segment;
            UsedSlots += count;
            return segment * SegmentSlots + first;
        }

        return -1;
    }

    /// <summary>Returns slots to the pool (<c>swiotlb_release_slots</c>).</summary>
    public void Free(int first, int count)
    {
        _free[first / SegmentSlots] |= RunMask(count) << (first % SegmentSlots);
        UsedSlots -= count;
    }

    /// <summary>Bit i set when slots i … i + count − 1 are all free: the mask ANDed with itself shifted, doubling the run.</summary>
    private static UInt128 RunStarts(UInt128 free, int count)
    {
        var starts = free;
        for (var covered = 1; covered < count && starts != UInt128.Zero;)
        {
            var shift = Math.Min(covered, count - covered);
            starts &= starts >> shift;
            covered += shift;
        }

        return starts;
    }

    private static UInt128 RunMask(int count) => count >= SegmentSlots ? UInt128.MaxValue : (UInt128.One << count) - UInt128.One;
}
