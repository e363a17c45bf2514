using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// The arithmetic of the two DMA001 fix shapes (LAYOUT-FACTS §10) for one buffer field of a struct, from its current
/// layout: (a) Explicit offsets with the buffer at k·L and the next field at or after round_up(buffer end, L), or
/// (b) Sequential with byte pads before and after the buffer. Both make the struct's size a multiple of L.
/// Neither places the struct's base: the fix must also add [DmaAligned]. The analyzer re-checks whatever the fix writes.
/// </summary>
internal static class CacheLineFixPlanner
{
    /// <summary>Pads for shape (b); null with <paramref name="whyNot"/> when the struct is not a known Sequential layout.</summary>
    public static SequentialPaddingPlan? PlanSequentialPadding(TypeLayout layout, IFieldSymbol buffer, int lineSize, out string? whyNot)
    {
        whyNot = Validate(layout, buffer, lineSize, LayoutRule.Sequential, out var index);
        if (whyNot is not null)
        {
            return null;
        }

        var fields = layout.Fields;
        var before = index == 0 ? 0 : fields[index - 1].End;
        var padBefore = (int)(LayoutMath.AlignUp(before, lineSize) - before);

        // Replay the sequential rule with the pads (byte arrays: alignment 1) in place.
        long cursor = 0;
        var bufferOffset = 0L;
        var padAfter = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i == index)
            {
                cursor += padBefore;
            }

            var offset = LayoutMath.AlignUp(cursor, fields[i].Alignment);
            cursor = offset + fields[i].Size;
            if (i == index)
            {
                bufferOffset = offset;
                if (index + 1 < fields.Length)
                {
                    padAfter = (int)(LayoutMath.AlignUp(cursor, lineSize) - cursor);
                    cursor += padAfter;
                }
            }
        }

        var size = (int)LayoutMath.AlignUp(Math.Max(Math.Max(cursor, 1), layout.DeclaredSize), lineSize);
        return new SequentialPaddingPlan(index, padBefore, padAfter, (int)bufferOffset, size);
    }

    /// <summary>Offsets for shape (a); null with <paramref name="whyNot"/> for generic or unknown layouts.</summary>
    public static ExplicitOffsetsPlan? PlanExplicitOffsets(TypeLayout layout, IFieldSymbol buffer, int lineSize, out string? whyNot)
    {
        whyNot = Validate(layout, buffer, lineSize, null, out var index);
        if (whyNot is not null)
        {
            return null;
        }

        if (layout.Type is INamedTypeSymbol named && IsGeneric(named))
        {
            whyNot = $"'{named.Name}' is generic, and the runtime refuses to load a generic type with an explicit layout";
            return null;
        }

        var fields = layout.Fields;
        var bufferField = fields[index];
        var offsets = ImmutableArray.CreateBuilder<int>(fields.Length);
        long beforeEnd = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            if (i != index && fields[i].Offset < bufferField.Offset)
            {
                beforeEnd = Math.Max(beforeEnd, fields[i].End);
            }
        }

        var bufferOffset = LayoutMath.AlignUp(beforeEnd, lineSize);
        long cursor = LayoutMath.AlignUp(bufferOffset + bufferField.Size, lineSize);
        for (var i = 0; i < fields.Length; i++)
        {
            if (i == index)
            {
                offsets.Add((int)bufferOffset);
            }
            else if (fields[i].Offset < bufferField.Offset)
            {
                offsets.Add(fields[i].Offset);
            }
            else
            {
                // Fields at or after the buffer follow it, in their order, each on its own alignment.
                var offset = LayoutMath.AlignUp(cursor, fields[i].Alignment);
                offsets.Add((int)offset);
                cursor = offset + fields[i].Size;
            }
        }

        var size = (int)LayoutMath.AlignUp(Math.Max(cursor, 1), lineSize);
        return new ExplicitOffsetsPlan(offsets.MoveToImmutable(), index, size);
    }

    private static string? Validate(TypeLayout layout, IFieldSymbol buffer, int lineSize, LayoutRule? required, out int index)
    {
        index = -1;
        if (!layout.IsKnown)
        {
            return layout.UnknownReason;
        }

        if (required is { } rule ? layout.Rule != rule : !(layout.Rule is LayoutRule.Sequential or LayoutRule.Explicit))
        {
            return $"'{layout.Type.Name}' is laid out {layout.Rule}, which this fix does not rewrite";
        }

        if (lineSize <= 0 || (lineSize & (lineSize - 1)) != 0)
        {
            return $"line size {lineSize} is not a power of two";
        }

        var field = layout.FindField(buffer);
        index = field is null ? -1 : layout.Fields.IndexOf(field);
        return index < 0 ? $"'{buffer.Name}' is not an instance field of '{layout.Type.Name}'" : null;
    }

    private static bool IsGeneric(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Shape (b): insert byte pads before and after the buffer and declare Size.</summary>
internal sealed class SequentialPaddingPlan
{
    public SequentialPaddingPlan(int bufferIndex, int padBefore, int padAfter, int bufferOffset, int structSize)
    {
        BufferIndex = bufferIndex;
        PadBefore = padBefore;
        PadAfter = padAfter;
        BufferOffset = bufferOffset;
        StructSize = structSize;
    }

    /// <summary>Index of the buffer in the struct's instance fields (declaration order).</summary>
    public int BufferIndex { get; }

    /// <summary>Bytes of padding to insert just before the buffer (0: none needed).</summary>
    public int PadBefore { get; }

    /// <summary>Bytes of padding to insert just after the buffer (0: none needed or the buffer is last).</summary>
    public int PadAfter { get; }

    /// <summary>Where the buffer lands: a multiple of the line size.</summary>
    public int BufferOffset { get; }

    /// <summary>The <c>StructLayout(Size = …)</c> to declare: a multiple of the line size.</summary>
    public int StructSize { get; }
}

/// <summary>Shape (a): an offset for every field and the struct's Size.</summary>
internal sealed class ExplicitOffsetsPlan
{
    public ExplicitOffsetsPlan(ImmutableArray<int> offsets, int bufferIndex, int structSize)
    {
        Offsets = offsets;
        BufferIndex = bufferIndex;
        StructSize = structSize;
    }

    /// <summary>The <c>[FieldOffset]</c> of each instance field, in declaration order.</summary>
    public ImmutableArray<int> Offsets { get; }

    /// <summary>Index of the buffer in the struct's instance fields.</summary>
    public int BufferIndex { get; }

    /// <summary>The <c>StructLayout(Size = …)</c> to declare: a multiple of the line size.</summary>
    public int StructSize { get; }
}
