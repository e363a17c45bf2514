using System;
using System.Collections.Generic;

namespace DmaSafe;

/// <summary>
/// Compares (allocation site, map site) keys by value but hashes them without reading a string: lines and lengths
/// only. Hashing two file paths per bounce cost more than the rest of the profile's bookkeeping; equality stays
/// cheap because the compiler's caller-info strings are interned literals, so string comparison ends at the
/// reference check. Two sites share a hash only when both lines and all four lengths agree.
/// </summary>
internal sealed class SiteKeyComparer : IEqualityComparer<BounceProfile.SiteKey>
{
    public static SiteKeyComparer Instance { get; } = new();

    public bool Equals(BounceProfile.SiteKey x, BounceProfile.SiteKey y) => x.Allocation.Equals(y.Allocation) && x.Map.Equals(y.Map);

    public int GetHashCode(BounceProfile.SiteKey key) =>
        HashCode.Combine(
            key.Allocation.Line,
            key.Map.Line,
            key.Allocation.FilePath.Length,
            key.Map.FilePath.Length,
            key.Allocation.Member.Length,
            key.Map.Member.Length);
}
