using System.Collections.Generic;

namespace DmaSafe;

/// <summary>Names the allocations that own bytes of a cache line, for fault reports: the victim first, then the neighbours.</summary>
internal static class LineOwners
{
    // Unowned gaps are walked in kmalloc's smallest step; a line is at most a page, so the walk stays short.
    private const nuint GapStep = 8;

    public static IReadOnlyList<AllocationInfo> Of(KmallocCaches slab, nuint lineStart, nuint lineSize, nuint victimAddress)
    {
        var owners = new List<AllocationInfo>(4);
        if (slab.TryFindObject(victimAddress, out var victim))
        {
            owners.Add(victim.Describe());
        }

        var lineEnd = lineStart + lineSize;
        var address = lineStart;
        while (address < lineEnd)
        {
            if (!slab.TryFindObject(address, out var span))
            {
                address += GapStep;
                continue;
            }

            var spanBase = span.Base;
            if (!owners.Exists(existing => existing.Address == spanBase))
            {
                owners.Add(span.Describe());
            }

            var next = span.Base + span.ObjectSize;
            address = next > address ? next : address + GapStep;
        }

        return owners;
    }
}
