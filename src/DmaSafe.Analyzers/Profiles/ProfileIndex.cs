using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Profiles;

/// <summary>Which profile rows point into a syntax tree, by line and role; computed once per tree per compilation.</summary>
internal sealed class ProfileIndex
{
    /// <summary>
    /// Known places grouped by file name (ignoring case, as path matching does), each group in profile order. Built once
    /// so a tree costs one dictionary lookup instead of a path comparison against every row: most trees hold no site.
    /// </summary>
    private readonly Dictionary<string, List<SiteAtLine>> _byFileName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<SyntaxTree, Dictionary<int, List<SiteAtLine>>?> _byTree = new();
    private readonly Func<SyntaxTree, Dictionary<int, List<SiteAtLine>>?> _build;

    public ProfileIndex(ImmutableArray<ProfileSite> sites)
    {
        foreach (var site in sites)
        {
            AddCandidate(new SiteAtLine(site, isAllocation: true));
            AddCandidate(new SiteAtLine(site, isAllocation: false));
        }

        _build = Build;
    }

    /// <summary>The rows recorded at lines of <paramref name="tree"/>, or null when none point into it.</summary>
    public Dictionary<int, List<SiteAtLine>>? ForTree(SyntaxTree tree) => _byTree.GetOrAdd(tree, _build);

    private void AddCandidate(SiteAtLine entry)
    {
        var place = entry.Here;
        if (!place.IsKnown)
        {
            return;
        }

        var name = SourcePathMatch.FileName(place.File);
        if (!_byFileName.TryGetValue(name, out var list))
        {
            _byFileName[name] = list = new List<SiteAtLine>();
        }

        list.Add(entry);
    }

    private Dictionary<int, List<SiteAtLine>>? Build(SyntaxTree tree)
    {
        if (tree.FilePath.Length == 0 || !_byFileName.TryGetValue(SourcePathMatch.FileName(tree.FilePath), out var candidates))
        {
            return null;
        }

        Dictionary<int, List<SiteAtLine>>? lines = null;
        foreach (var entry in candidates)
        {
            var place = entry.Here;
            if (!SourcePathMatch.Matches(place.File, tree.FilePath))
            {
                continue;
            }

            lines ??= new Dictionary<int, List<SiteAtLine>>();
            if (!lines.TryGetValue(place.Line, out var list))
            {
                lines[place.Line] = list = new List<SiteAtLine>();
            }

            list.Add(entry);
        }

        return lines;
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
