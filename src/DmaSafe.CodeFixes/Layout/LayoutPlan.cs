using System.Collections.Generic;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// The edit the DMA001 fix makes to one struct (explicit layout, LAYOUT-FACTS §10 shape (a)): the new offset of
/// every field and the StructLayout Size, a multiple of the DMA line. The gaps are implicit padding, never fields,
/// so nothing but the buffer has bytes in its lines.
/// </summary>
internal sealed class LayoutPlan
{
    public LayoutPlan(int size, IReadOnlyDictionary<string, int> offsets)
    {
        Size = size;
        Offsets = offsets;
    }

    /// <summary>The StructLayout Size the struct gets (a multiple of the line).</summary>
    public int Size { get; }

    /// <summary>The new offset of every field, by metadata name.</summary>
    public IReadOnlyDictionary<string, int> Offsets { get; }
}
