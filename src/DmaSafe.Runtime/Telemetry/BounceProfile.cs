using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// How often streaming mappings bounced and where: totals, and counts aggregated per (allocation site, map site).
/// Thread-safe; recording a bounce costs one dictionary lookup by site key.
/// </summary>
public sealed class BounceProfile
{
    private readonly ConcurrentDictionary<(SourceSite Allocation, SourceSite Map), SiteCounter> _sites = new();
    private long _totalBounces;
    private long _totalBytes;

    /// <summary>Bounces recorded so far.</summary>
    public long TotalBounces => Interlocked.Read(ref _totalBounces);

    /// <summary>Bytes that went through the bounce pool (the sum of bounced mapping sizes).</summary>
    public long TotalBouncedBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>Per-site counts, most bounces first.</summary>
    public IReadOnlyList<BounceSite> Sites =>
        _sites.Select(pair => new BounceSite(pair.Key.Allocation, pair.Key.Map, pair.Value.Count, pair.Value.Bytes))
              .OrderByDescending(site => site.Count)
              .ToList();

    internal void Record(in BounceEvent bounce)
    {
        var counter = _sites.GetOrAdd((bounce.AllocationSite, bounce.MapSite), static _ => new SiteCounter());
        Interlocked.Increment(ref counter.Count);
        Interlocked.Add(ref counter.Bytes, (long)bounce.Size);
        Interlocked.Increment(ref _totalBounces);
        Interlocked.Add(ref _totalBytes, (long)bounce.Size);
    }

    private sealed class SiteCounter
    {
        public long Count;
        public long Bytes;
    }
}

/// <summary>Bounces attributed to one allocation site and one map site.</summary>
/// <param name="AllocationSite">Where the bounced memory was allocated.</param>
/// <param name="MapSite">Where it was mapped.</param>
/// <param name="Count">How many mappings bounced.</param>
/// <param name="Bytes">How many bytes they moved through the pool.</param>
public sealed record BounceSite(SourceSite AllocationSite, SourceSite MapSite, long Count, long Bytes);
