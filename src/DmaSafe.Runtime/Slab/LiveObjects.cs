using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DmaSafe;

/// <summary>
/// The objects of a cache still allocated, counted per allocation site: what <c>kmem_cache_destroy</c> reports as
/// "Objects remaining in &lt;cache&gt; on __kmem_cache_shutdown()".
/// </summary>
internal sealed class LiveObjects
{
    /// <summary>Sites listed in a report; the rest are counted.</summary>
    public const int SitesShown = 5;

    private readonly Dictionary<SourceSite, int> _perSite = new();

    private LiveObjects()
    {
    }

    public int Count { get; private set; }

    /// <summary>The lowest-addressed live object of the first slab holding one (0 when none).</summary>
    public nuint FirstAddress { get; private set; }

    /// <summary>The allocating stack of that object, when the machine captures stacks.</summary>
    public string? FirstStack { get; private set; }

    /// <summary>Scans every object of <paramref name="cache"/>'s slabs.</summary>
    public static LiveObjects Of(SlabCache cache)
    {
        var found = new LiveObjects();
        foreach (var slab in cache.Slabs())
        {
            for (var i = 0; i < slab.ObjectCount; i++)
            {
                if (slab.IsLive(i))
                {
                    found.Count++;
                    if (found.FirstAddress == 0)
                    {
                        found.FirstAddress = slab.AddressOf(i);
                        found.FirstStack = slab.Stacks?[i];
                    }

                    var site = slab.SiteOf(i);
                    found._perSite[site] = found._perSite.GetValueOrDefault(site) + 1;
                }
            }
        }

        return found;
    }

    /// <summary>The sites, most objects first: "Driver.Open (File.cs:12) x3, …, and 2 more sites".</summary>
    public string DescribeSites()
    {
        var text = new StringBuilder();
        var ordered = _perSite.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key.ToString(), System.StringComparer.Ordinal).ToList();
        foreach (var (site, count) in ordered.Take(SitesShown))
        {
            text.Append(text.Length == 0 ? string.Empty : ", ").Append(site).Append(" x").Append(count);
        }

        if (ordered.Count > SitesShown)
        {
            text.Append(", and ").Append(ordered.Count - SitesShown).Append(" more sites");
        }

        return text.ToString();
    }
}
