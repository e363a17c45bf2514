using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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

    // Weak in the tree: an index shared between compilations (see Of) answers for the trees they share without holding
    // on to trees an edit has replaced.
    private readonly ConditionalWeakTable<SyntaxTree, TreeLines> _byTree = new();
    private readonly ConditionalWeakTable<SyntaxTree, TreeLines>.CreateValueCallback _build;

    // One profile's index, shared by every compilation that reads the same parsed profile (BounceProfileFile caches it
    // per SourceText, so an unchanged file is the same instance): the path matching of a tree is then done once, not
    // once per compilation.
    private static readonly ConditionalWeakTable<BounceProfileFile, ProfileIndex> SharedByProfile = new();

    public ProfileIndex(ImmutableArray<ProfileSite> sites)
    {
        foreach (var site in sites)
        {
            AddCandidate(new SiteAtLine(site, isAllocation: true));
            AddCandidate(new SiteAtLine(site, isAllocation: false));
        }

        _build = tree => new TreeLines(Build(tree));
    }

    /// <summary>The index of <paramref name="profiles"/>' sites: shared across compilations for a single profile.</summary>
    public static ProfileIndex Of(IReadOnlyList<BounceProfileFile> profiles)
    {
        if (profiles.Count == 1)
        {
            return SharedByProfile.GetValue(profiles[0], static profile => new ProfileIndex(profile.Sites));
        }

        var sites = ImmutableArray.CreateBuilder<ProfileSite>();
        foreach (var profile in profiles)
        {
            sites.AddRange(profile.Sites);
        }

        return new ProfileIndex(sites.ToImmutable());
    }

    /// <summary>The rows recorded at lines of <paramref name="tree"/>, or null when none point into it.</summary>
    public Dictionary<int, List<SiteAtLine>>? ForTree(SyntaxTree tree) => _byTree.GetValue(tree, _build).Lines;

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

/// <summary>A tree's rows by line (null when none point into it), boxed for the weak table.</summary>
internal sealed class TreeLines
{
    public TreeLines(Dictionary<int, List<SiteAtLine>>? lines) => Lines = lines;

    /// <summary>Read only: the lists are shared by every rule run that looks the tree up.</summary>
    public Dictionary<int, List<SiteAtLine>>? Lines { get; }
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
