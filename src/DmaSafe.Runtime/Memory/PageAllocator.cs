using System;
using System.Numerics;

namespace DmaSafe;

/// <summary>
/// A buddy allocator over the arena's general part (after mm/page_alloc.c): blocks of 2^order pages, naturally
/// aligned to their size, split on allocation and merged with their buddy on free. Not a hot path (slabs take pages
/// in batches), so one lock guards it.
/// </summary>
internal sealed class PageAllocator
{
    /// <summary>Largest block: 2^10 pages (4 MiB with 4 KiB pages), Linux's default MAX_ORDER.</summary>
    public const int MaxOrder = 10;

    private readonly object _lock = new();
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly sbyte[] _freeOrder; // order of the free block this page heads, or -1
    private readonly int[] _heads;        // head of each order's free list, or -1
    private long _freePages;

    public PageAllocator(Arena arena, int pageSize)
    {
        Arena = arena;
        PageSize = pageSize;
        PageShift = BitOperations.Log2((uint)pageSize);
        PageCount = checked((int)((long)arena.GeneralBytes >> PageShift));
        _next = new int[PageCount];
        _prev = new int[PageCount];
        _freeOrder = new sbyte[PageCount];
        _heads = new int[MaxOrder + 1];
        _freeOrder.AsSpan().Fill(-1);
        _heads.AsSpan().Fill(-1);

        // Carve the pages into the largest naturally aligned blocks that fit.
        var page = 0;
        while (page < PageCount)
        {
            var order = MaxOrder;
            while (order > 0 && ((page & ((1 << order) - 1)) != 0 || page + (1 << order) > PageCount))
            {
                order--;
            }

            Push(page, order);
            _freePages += 1 << order;
            page += 1 << order;
        }
    }

    public Arena Arena { get; }

    public int PageSize { get; }

    public int PageShift { get; }

    public int PageCount { get; }

    public long FreePages
    {
        get
        {
            lock (_lock)
            {
                return _freePages;
            }
        }
    }

    /// <summary>The smallest order whose block holds <paramref name="bytes"/> (<c>get_order</c>).</summary>
    public int OrderFor(nuint bytes)
    {
        var pages = (bytes + (nuint)PageSize - 1) >> PageShift;
        return pages <= 1 ? 0 : BitOperations.Log2((ulong)(pages - 1)) + 1;
    }

    /// <summary>Allocates 2^order pages; returns the first page's index, or -1 when no block is free.</summary>
    public int Allocate(int order)
    {
        if ((uint)order > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"Page blocks go up to order {MaxOrder}.");
        }

        lock (_lock)
        {
            var found = order;
            while (found <= MaxOrder && _heads[found] < 0)
            {
                found++;
            }

            if (found > MaxOrder)
            {
                return -1;
            }

            var page = _heads[found];
            Remove(page, found);
            // Split: keep the lower half, give the upper halves back.
            while (found > order)
            {
                found--;
                Push(page + (1 << found), found);
            }

            _freePages -= 1 << order;
            return page;
        }
    }

    /// <summary>Returns a block from <see cref="Allocate"/>, merging it with free buddies.</summary>
    public void Free(int page, int order)
    {
        lock (_lock)
        {
            _freePages += 1 << order;
            while (order < MaxOrder)
            {
                var buddy = page ^ (1 << order);
                if (buddy + (1 << order) > PageCount || _freeOrder[buddy] != order)
                {
                    break;
                }

                Remove(buddy, order);
                page = Math.Min(page, buddy);
                order++;
            }

            Push(page, order);
        }
    }

    /// <summary>The CPU address of page <paramref name="page"/>.</summary>
    public nuint AddressOf(int page) => Arena.Start + ((nuint)page << PageShift);

    private void Push(int page, int order)
    {
        _freeOrder[page] = (sbyte)order;
        _prev[page] = -1;
        _next[page] = _heads[order];
        if (_heads[order] >= 0)
        {
            _prev[_heads[order]] = page;
        }

        _heads[order] = page;
    }

    private void Remove(int page, int order)
    {
        _freeOrder[page] = -1;
        if (_prev[page] >= 0)
        {
            _next[_prev[page]] = _next[page];
        }
        else
        {
            _heads[order] = _next[page];
        }

        if (_next[page] >= 0)
        {
            _prev[_next[page]] = _prev[page];
        }
    }
}
