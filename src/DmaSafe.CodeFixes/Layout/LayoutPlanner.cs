using System;
using System.Collections.Generic;
using System.Linq;
using DmaSafe.Analyzers.Layout;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// Computes where the DMA001 fix puts things, with the same placement rules as the layout engine (LAYOUT-FACTS §2):
/// every protected field starts on a line and the next field starts on the line after its end; no field is
/// reordered or retyped. The result is re-checked with the engine on the rewritten code.
/// </summary>
internal static class LayoutPlanner
{
    /// <summary>
    /// Sequential shape: <c>fixed byte</c> pads (alignment 1, so Pack does not change them) before each protected
    /// field and after it, computed as if the struct's earlier DMA pads (<paramref name="isOldPad"/>) were gone.
    /// </summary>
    public static LayoutPlan PlanSequential(TypeLayout layout, ISet<string> protectedFields, int line, Func<FieldLayout, bool> isOldPad)
    {
        var fields = layout.Fields.Where(f => !isOldPad(f)).ToList();
        var before = new Dictionary<string, int>();
        var after = new Dictionary<string, int>();
        long cursor = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var isProtected = protectedFields.Contains(field.Field.Name);
            if (isProtected)
            {
                var pad = LayoutMath.AlignUp(cursor, line) - cursor;
                if (pad > 0)
                {
                    before[field.Field.Name] = (int)pad;
                    cursor += pad;
                }
            }

            cursor = LayoutMath.AlignUp(cursor, field.Alignment) + field.Size;

            if (isProtected && i < fields.Count - 1)
            {
                var pad = LayoutMath.AlignUp(cursor, line) - cursor;
                if (pad > 0)
                {
                    after[field.Field.Name] = (int)pad;
                    cursor += pad;
                }
            }
        }

        var size = LayoutMath.AlignUp(Math.Max(Math.Max(cursor, layout.DeclaredSize), 1), line);
        return new LayoutPlan(false, (int)size, before, after, new Dictionary<string, int>());
    }

    /// <summary>
    /// Explicit shape (for structs that are explicit already): each protected field moves up to the next line; the
    /// fields between protected ones shift together by a multiple of the largest field alignment, so unions and
    /// alignments among them survive. Null when a field overlaps a protected field's bytes (a union with a DMA
    /// buffer cannot be given lines of its own).
    /// </summary>
    public static LayoutPlan? PlanExplicit(TypeLayout layout, ISet<string> protectedFields, int line)
    {
        var protectedLayouts = layout.Fields.Where(f => protectedFields.Contains(f.Field.Name)).OrderBy(f => f.Offset).ToList();
        foreach (var field in layout.Fields)
        {
            foreach (var guarded in protectedLayouts)
            {
                if (!ReferenceEquals(field, guarded) && field.Size > 0 && LayoutMath.Overlaps(field.Offset, field.End, guarded.Offset, guarded.End))
                {
                    return null;
                }
            }
        }

        var largestAlignment = Math.Min(line, Math.Max(1, layout.Fields.Select(f => f.Alignment).DefaultIfEmpty(1).Max()));

        // Shift of every non-protected field that starts at or after each boundary (a protected field's start or end).
        var offsets = new Dictionary<string, int>();
        long shift = 0;
        var newStarts = new Dictionary<FieldLayout, long>();
        var boundaries = new List<(long Original, long Shift)>();
        foreach (var guarded in protectedLayouts)
        {
            var newStart = LayoutMath.AlignUp(guarded.Offset + shift, line);
            newStarts[guarded] = newStart;
            var newLinesEnd = LayoutMath.AlignUp(newStart + guarded.Size, line);
            shift = LayoutMath.AlignUp(newLinesEnd - guarded.End, largestAlignment);
            boundaries.Add((guarded.End, shift));
        }

        long end = 0;
        foreach (var field in layout.Fields)
        {
            long offset;
            if (newStarts.TryGetValue(field, out var newStart))
            {
                offset = newStart;
            }
            else
            {
                var fieldShift = 0L;
                foreach (var (original, boundaryShift) in boundaries)
                {
                    if (field.Offset >= original)
                    {
                        fieldShift = boundaryShift;
                    }
                }

                offset = field.Offset + fieldShift;
            }

            offsets[field.Field.Name] = (int)offset;
            end = Math.Max(end, offset + field.Size);
        }

        var size = LayoutMath.AlignUp(Math.Max(Math.Max(end, layout.DeclaredSize + shift), 1), line);
        return new LayoutPlan(true, (int)size, new Dictionary<string, int>(), new Dictionary<string, int>(), offsets);
    }
}
