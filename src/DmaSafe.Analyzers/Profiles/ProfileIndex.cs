using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Profiles;

/// <summary>Which profile rows point into a syntax tree, by line and role; computed once per tree per compilation.</summary>
internal sealed class ProfileIndex
{
    private readonly ImmutableArray<ProfileSite> _sites;
    private readonly ConcurrentDictionary<SyntaxTree, Dictionary<int, List<SiteAtLine>>?> _byTree = new();

    private readonly System.Func<SyntaxTree, Dictionary<int, List<SiteAtLine>>?> _build;

    public ProfileIndex(ImmutableArray<ProfileSite> sites)
    {
        _sites = sites;
        _build = Build;
    }

    /// <summary>The rows recorded at lines of <paramref name="tree"/>, or null when none point into it.</summary>
    public Dictionary<int, List<SiteAtLine>>? ForTree(SyntaxTree tree) => _byTree.GetOrAdd(tree, _build);

    private Dictionary<int, List<SiteAtLine>>? Build(SyntaxTree tree)
    {
        Dictionary<int, List<SiteAtLine>>? lines = null;
        foreach (var site in _sites)
        {
            Add(site.Allocation, site, isAllocation: true);
            Add(site.Map, site, isAllocation: false);
        }

        return lines;

        void Add(SourcePlace place, ProfileSite site, bool isAllocation)
        {
            if (!place.IsKnown || !SourcePathMatch.Matches(place.File, tree.FilePath))
            {
                return;
            }

            lines ??= new Dictionary<int, List<SiteAtLine>>();
            if (!lines.TryGetValue(place.Line, out var list))
            {
                lines[place.Line] = list = new List<SiteAtLine>();
            }

            list.Add(new SiteAtLine(site, isAllocation));
        }
    }
}

/// <summary>A profile row seen from one of its two places.</summary>
internal readonly struct SiteAtLine
{
    public SiteAtLine(ProfileSite site, bool isAllocation)
    {
        Site = site;
        IsAllocation = isAllocation;
    }

    public ProfileSite Site { get; }

    /// <summary>True when the row's allocation place is this line; false for its map place.</summary>
    public bool IsAllocation { get; }

    public SourcePlace Here => IsAllocation ? Site.Allocation : Site.Map;

    public SourcePlace Other => IsAllocation ? Site.Map : Site.Allocation;
}
