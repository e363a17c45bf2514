using System.Collections.Generic;
using DmaSafe.Analyzers.Layout;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// Whether a field owns every DMA cache line it touches inside its struct: no byte of any other field (looking into
/// nested structs) shares one of its lines, and the lines end inside the struct. The DMA001 fix uses it to find the
/// buffers that are already safe (they must stay safe) and to check its own result.
/// </summary>
internal static class LineOwnership
{
    /// <summary>True when <paramref name="field"/> of <paramref name="layout"/> starts on a line and no other data shares its lines.</summary>
    public static bool OwnsLines(TypeLayout layout, FieldLayout field, int line)
    {
        if (field.Offset % line != 0)
        {
            return false;
        }

        var linesEnd = LayoutMath.AlignUp(field.End, line);
        if (linesEnd > layout.Size)
        {
            // The last line runs past the struct: whatever follows it in memory shares that line.
            return false;
        }

        foreach (var (start, end) in LeafRanges(layout, 0, field))
        {
            if (end > start && LayoutMath.Overlaps(start, end, field.Offset, linesEnd))
            {
                return false;
            }
        }

        return true;
    }

    // Byte ranges of every leaf field except the excluded one and what lies inside it; nested structs are opened up
    // because only their fields' bytes are ever written, not the padding between them.
    private static IEnumerable<(long Start, long End)> LeafRanges(TypeLayout layout, long baseOffset, FieldLayout? excluded)
    {
        foreach (var field in layout.Fields)
        {
            if (excluded is not null && ReferenceEquals(field, excluded))
            {
                continue;
            }

            var start = baseOffset + field.Offset;
            if (field.FieldTypeLayout is { IsStructWithFields: true } nested && nested.Fields.Length > 0)
            {
                foreach (var range in LeafRanges(nested, start, null))
                {
                    yield return range;
                }
            }
            else
            {
                yield return (start, start + field.Size);
            }
        }
    }
}
