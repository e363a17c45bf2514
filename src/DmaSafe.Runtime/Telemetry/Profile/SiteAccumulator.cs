using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// The running totals of one (allocation site, map site): counters updated with interlocked adds so concurrent
/// bounces at one site never take a lock; read into an immutable <see cref="BounceSite"/> on demand.
/// </summary>
internal sealed class SiteAccumulator
{
    private static readonly ReadOnlyDictionary<DmaDirection, long> NoDirections = new(new Dictionary<DmaDirection, long>());

    // Indexed by (int)DmaDirection; None never bounces but a slot for it keeps the index check trivial. The count is
    // their sum (plus bounces merged in from files that gave no directions), which saves an atomic add per bounce.
    private readonly long[] _directions = new long[4];
    private readonly ValueHistogram _offsetInLine;
    private readonly ValueHistogram _sizeModLine;
    private long _withoutDirection;
    private long _bytes;
    private long _firstSeenTicks = long.MaxValue;
    private long _lastSeenTicks = long.MinValue;
    private string? _exampleStack;
    private int _exampleStackClaimed;

    public SiteAccumulator(SourceSite allocation, SourceSite map, int lineSize)
    {
        Allocation = allocation;
        Map = map;
        _offsetInLine = new ValueHistogram(lineSize);
        _sizeModLine = new ValueHistogram(lineSize);
    }

    public SourceSite Allocation { get; }

    public SourceSite Map { get; }

    public long Count
    {
        get
        {
            var count = Interlocked.Read(ref _withoutDirection);
            for (var index = 0; index < _directions.Length; index++)
            {
                count += Interlocked.Read(ref _directions[index]);
            }

            return count;
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    public string? ExampleStack => Volatile.Read(ref _exampleStack);

    public void Record(DmaDirection direction, long size, int offsetInLine, int sizeModLine, long utcTicks)
    {
        Interlocked.Increment(ref _directions[(int)direction & 3]);
        Interlocked.Add(ref _bytes, size);
        _offsetInLine.Add(offsetInLine);
        _sizeModLine.Add(sizeModLine);

        // Both are plain reads unless this bounce is the earliest or the latest yet.
        StoreMin(ref _firstSeenTicks, utcTicks);
        StoreMax(ref _lastSeenTicks, utcTicks);
    }

    /// <summary>Folds a finished site (from another profile) into this one.</summary>
    public void Add(BounceSite site)
    {
        Interlocked.Add(ref _bytes, site.Bytes);
        var withDirection = 0L;
        foreach (var (direction, count) in site.Directions)
        {
            Interlocked.Add(ref _directions[(int)direction & 3], count);
            withDirection += count;
        }

        Interlocked.Add(ref _withoutDirection, site.Count - withDirection);

        foreach (var (value, count) in site.OffsetInLine)
        {
            _offsetInLine.Add(value, count);
        }

        foreach (var (value, count) in site.SizeModLine)
        {
            _sizeModLine.Add(value, count);
        }

        if (site.Count > 0)
        {
            StoreMin(ref _firstSeenTicks, site.FirstSeen.UtcTicks);
            StoreMax(ref _lastSeenTicks, site.LastSeen.UtcTicks);
        }

        if (site.ExampleStack is not null)
        {
            TrySetExampleStack(site.ExampleStack);
        }
    }

    /// <summary>True for exactly one caller: the one that should capture this site's example stack.</summary>
    public bool TryClaimExampleStack() => Interlocked.Exchange(ref _exampleStackClaimed, 1) == 0;

    /// <summary>Keeps the first example stack offered; later ones are dropped.</summary>
    public void TrySetExampleStack(string stack)
    {
        Interlocked.Exchange(ref _exampleStackClaimed, 1);
        Interlocked.CompareExchange(ref _exampleStack, stack, null);
    }

    public BounceSite Snapshot()
    {
        var count = Count;
        var directions = new Dictionary<DmaDirection, long>();
        for (var index = 0; index < _directions.Length; index++)
        {
            var perDirection = Interlocked.Read(ref _directions[index]);
            if (perDirection != 0)
            {
                directions.Add((DmaDirection)index, perDirection);
            }
        }

        var first = Interlocked.Read(ref _firstSeenTicks);
        var last = Interlocked.Read(ref _lastSeenTicks);
        return new BounceSite(Allocation, Map, count, Bytes)
        {
            Directions = directions.Count == 0 ? NoDirections : new ReadOnlyDictionary<DmaDirection, long>(directions),
            OffsetInLine = new ReadOnlyDictionary<int, long>(_offsetInLine.Snapshot()),
            SizeModLine = new ReadOnlyDictionary<int, long>(_sizeModLine.Snapshot()),
            FirstSeen = first == long.MaxValue ? default : new DateTimeOffset(first, TimeSpan.Zero),
            LastSeen = last == long.MinValue ? default : new DateTimeOffset(last, TimeSpan.Zero),
            ExampleStack = ExampleStack,
        };
    }

    private static void StoreMin(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void StoreMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
