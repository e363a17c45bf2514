using System.Collections.Generic;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// The edit the DMA001 fix makes to one struct: padding before and after fields (Sequential) or new field offsets
/// (Explicit), and the new StructLayout Size, a multiple of the DMA line.
/// </summary>
internal sealed class LayoutPlan
{
    public LayoutPlan(bool isExplicit, int size, IReadOnlyDictionary<string, int> padBefore, IReadOnlyDictionary<string, int> padAfter, IReadOnlyDictionary<string, int> offsets)
    {
        IsExplicit = isExplicit;
        Size = size;
        PadBefore = padBefore;
        PadAfter = padAfter;
        Offsets = offsets;
    }

    /// <summary>True when the struct keeps an explicit layout and gets new FieldOffsets; false for Sequential padding.</summary>
    public bool IsExplicit { get; }

    /// <summary>The StructLayout Size the struct gets (a multiple of the line).</summary>
    public int Size { get; }

    /// <summary>Sequential: bytes of padding to put before the field with this metadata name.</summary>
    public IReadOnlyDictionary<string, int> PadBefore { get; }

    /// <summary>Sequential: bytes of padding to put after the field with this metadata name.</summary>
    public IReadOnlyDictionary<string, int> PadAfter { get; }

    /// <summary>Explicit: the new offset of every field, by metadata name.</summary>
    public IReadOnlyDictionary<string, int> Offsets { get; }
}
