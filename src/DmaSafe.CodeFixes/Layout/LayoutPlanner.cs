using System;
using System.Collections.Generic;
using System.Linq;
using DmaSafe.Analyzers.Layout;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// Computes the offsets the DMA001 fix gives each field: every protected field starts on a line and the next
/// field starts on the line after its end; no field is reordered or retyped. The result is re-checked with the
/// layout engine on the rewritten code.
/// </summary>
internal static class LayoutPlanner
{
    /// <summary>
    /// The explicit shape, from the struct's current offsets (Sequential or Explicit): each protected field moves up
    /// to the next line; the fields between protected ones shift together, by a multiple of the largest field
    /// alignment and only as far as needed to clear the protected field's last line, so unions, alignments and
    /// offsets that are already right survive (the plan of a fixed struct is the identity). Null when a field
    /// overlaps a protected field's bytes (a union with a DMA buffer cannot be given lines of its own).
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
            var next = layout.Fields.Where(f => f.Offset >= guarded.End && !ReferenceEquals(f, guarded)).Select(f => (long?)f.Offset).Min();
            if (next is { } nextStart)
            {
                shift = Math.Max(shift, LayoutMath.AlignUp(Math.Max(0, newLinesEnd - nextStart), largestAlignment));
            }
            else
            {
                shift = Math.Max(shift, LayoutMath.AlignUp(Math.Max(0, newLinesEnd - guarded.End), largestAlignment));
            }

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
        return new LayoutPlan((int)size, offsets);
    }
}
