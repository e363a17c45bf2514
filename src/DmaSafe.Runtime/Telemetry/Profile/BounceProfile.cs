using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// How often streaming mappings bounced and where: totals, and per (allocation site, map site) the count, bytes,
/// directions, misalignment histograms, first and last time seen and optionally one example stack.
/// </summary>
/// <remarks>
/// Thread-safe. Recording a bounce costs one dictionary lookup by site key and a few interlocked adds; no stack is
/// walked unless asked for. Profiles are written to and read from <c>&lt;name&gt;.dmabounces.json</c> (schema
/// <see cref="SchemaId"/>, described in docs/bounce-profile.md) and can be merged across runs and machines.
/// </remarks>
public sealed partial class BounceProfile
{
    /// <summary>The schema written to and accepted from JSON files: <c>dmasafe.bounces/1</c>.</summary>
    public const string SchemaId = "dmasafe.bounces/1";

    /// <summary>The file name ending the analyzer looks for among AdditionalFiles: <c>.dmabounces.json</c>.</summary>
    public const string FileExtension = ".dmabounces.json";

    private readonly ConcurrentDictionary<SiteKey, SiteAccumulator> _sites = new(SiteKeyComparer.Instance);
    private readonly Func<SiteKey, SiteAccumulator> _createSite;

    // The site of the latest bounce: drivers bounce in bursts at one site, and comparing two sites whose strings are
    // the same interned literals is cheaper than a dictionary lookup. Any thread may replace it; a stale value only
    // costs the lookup.
    private SiteAccumulator? _lastSite;

    /// <summary>Creates an empty profile for a machine whose DMA line (<see cref="MachineOptions.DmaMinAlign"/>) is <paramref name="lineSize"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineSize"/> is not a power of two from 1 to 65536.</exception>
    public BounceProfile(int lineSize = 128)
    {
        if (!MachineOptions.IsPowerOfTwo(lineSize) || lineSize > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(lineSize), lineSize, "A bounce profile's line size must be a power of two from 1 to 65536.");
        }

        LineSize = lineSize;
        _createSite = key => new SiteAccumulator(key.Allocation, key.Map, LineSize);
    }

    /// <summary>The DMA line size the misalignment histograms are measured against.</summary>
    public int LineSize { get; }

    // The totals are summed over the sites when read, so a bounce pays for its site's counters only.

    /// <summary>Bounces recorded so far.</summary>
    public long TotalBounces => _sites.Values.Sum(site => site.Count);

    /// <summary>Bytes that went through the bounce pool (the sum of bounced mapping sizes).</summary>
    public long TotalBouncedBytes => _sites.Values.Sum(site => site.Bytes);

    /// <summary>Per-site snapshots, most bounces first (ties: most bytes, then by site, so the order is stable).</summary>
    public IReadOnlyList<BounceSite> Sites =>
        _sites.Values.Select(site => site.Snapshot())
              .OrderByDescending(site => site.Count)
              .ThenByDescending(site => site.Bytes)
              .ThenBy(site => site.AllocationSite.FilePath, StringComparer.Ordinal)
              .ThenBy(site => site.AllocationSite.Line)
              .ThenBy(site => site.MapSite.FilePath, StringComparer.Ordinal)
              .ThenBy(site => site.MapSite.Line)
              .ThenBy(site => site.AllocationSite.Member, StringComparer.Ordinal)
              .ThenBy(site => site.MapSite.Member, StringComparer.Ordinal)
              .ToList();

    /// <summary>
    /// Merges profiles (from many test runs or machines) into a new one: counts, bytes, directions and histograms add
    /// up, first seen is the earliest and last seen the latest, and the first example stack found is kept.
    /// </summary>
    /// <exception cref="ArgumentException">No profiles were given, one is null, or their line sizes differ.</exception>
    public static BounceProfile Merge(IEnumerable<BounceProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        BounceProfile? merged = null;
        var index = 0;
        foreach (var profile in profiles)
        {
            if (profile is null)
            {
                throw new ArgumentException($"Profile #{index} to merge is null.", nameof(profiles));
            }

            merged ??= new BounceProfile(profile.LineSize);
            if (profile.LineSize != merged.LineSize)
            {
                throw new ArgumentException(
                    $"Cannot merge profile #{index} with line size {profile.LineSize} into profiles with line size {merged.LineSize}: their misalignment histograms measure different lines.",
                    nameof(profiles));
            }

            foreach (var site in profile.Sites)
            {
                merged.Add(site);
            }

            index++;
        }

        return merged ?? throw new ArgumentException("Merge needs at least one profile.", nameof(profiles));
    }

    /// <summary>Merges profiles into a new one; see <see cref="Merge(IEnumerable{BounceProfile})"/>.</summary>
    public static BounceProfile Merge(params BounceProfile[] profiles) => Merge((IEnumerable<BounceProfile>)profiles);

    /// <summary><c>1234 bounces (56789 bytes) at 3 sites</c>.</summary>
    public override string ToString() => $"{TotalBounces} bounces ({TotalBouncedBytes} bytes) at {_sites.Count} sites";

    /// <summary>Records one bounce at <paramref name="utcTicks"/>; returns its site so the caller can attach a stack.</summary>
    internal SiteAccumulator Record(in BounceEvent bounce, long utcTicks)
    {
        var mask = LineSize - 1;
        var size = (long)bounce.Size;
        var site = Volatile.Read(ref _lastSite);
        // The DMA layer hands over interned sites, so the same site is usually the same instance.
        if (site is null || !SameSite(site.Map, bounce.MapSite) || !SameSite(site.Allocation, bounce.AllocationSite))
        {
            site = _sites.GetOrAdd(new SiteKey(bounce.AllocationSite, bounce.MapSite), _createSite);
            Volatile.Write(ref _lastSite, site);
        }

        site.Record(bounce.Direction, size, bounce.OffsetInLine & mask, (int)(bounce.Size & (nuint)mask), utcTicks);
        return site;
    }

    private static bool SameSite(SourceSite known, SourceSite site) => ReferenceEquals(known, site) || known.Equals(site);

    /// <summary>Folds a finished site (read from a file or another profile) into this profile.</summary>
    internal void Add(BounceSite site)
    {
        _sites.GetOrAdd(new SiteKey(site.AllocationSite, site.MapSite), _createSite).Add(site);
    }

    internal readonly record struct SiteKey(SourceSite Allocation, SourceSite Map);
}
