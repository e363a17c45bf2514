using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// Interns allocation sites as small integers, so each object's metadata holds an int instead of string references
/// (no GC write barriers on the kmalloc path). Each thread keeps a small direct-mapped cache keyed by the caller's
/// line and the identity of its file-path string (compiler-emitted literals are the same object at every call),
/// so a repeated call site costs two compares.
/// </summary>
internal sealed class SiteTable
{
    private readonly object _lock = new();
    private readonly Dictionary<(string File, int Line, string Member), int> _ids = new();
    private SourceSite[] _sites = new SourceSite[64];
    private int _count;

    public SiteTable()
    {
        _sites[0] = SourceSite.Unknown;
        _ids[(string.Empty, 0, string.Empty)] = 0;
        _count = 1;
    }

    /// <summary>The site with id <paramref name="id"/>.</summary>
    public SourceSite this[int id] => Volatile.Read(ref _sites)[id];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IdOf(SiteCache cache, string member, string file, int line)
    {
        ref var entry = ref cache.Entries[line & (SiteCache.Size - 1)];
        if (ReferenceEquals(entry.File, file) && entry.Line == line && ReferenceEquals(entry.Member, member))
        {
            return entry.Id;
        }

        return Miss(ref entry, member, file, line);
    }

    private int Miss(ref SiteCache.Entry entry, string member, string file, int line)
    {
        int id;
        lock (_lock)
        {
            if (!_ids.TryGetValue((file, line, member), out id))
            {
                id = _count;
                if (id == _sites.Length)
                {
                    var grown = new SourceSite[id * 2];
                    _sites.CopyTo(grown, 0);
                    Volatile.Write(ref _sites, grown);
                }

                _sites[id] = new SourceSite(member, file, line);
                _ids.Add((file, line, member), id);
                Volatile.Write(ref _count, id + 1);
            }
        }

        entry = new SiteCache.Entry { File = file, Member = member, Line = line, Id = id };
        return id;
    }
}

/// <summary>One thread's direct-mapped cache of recently seen call sites.</summary>
internal sealed class SiteCache
{
    public const int Size = 64;

    public readonly Entry[] Entries = new Entry[Size];

    public struct Entry
    {
        public string? File;
        public string? Member;
        public int Line;
        public int Id;
    }
}
