using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DmaSafe;

/// <summary>
/// Draws a <see cref="DmaStructLayout"/> in the format of pahole (dwarves 1.24): <c>type name; /* offset size */</c>
/// member lines, hole lines, <c>/* --- cacheline K boundary (K*L bytes) --- */</c> markers and the summary block,
/// plus what pahole never says: which fields share a line with each DMA buffer.
/// </summary>
internal static class PaholeWriter
{
    // pahole's columns: the type padded to 26 characters, "name;" to 21, then offset and size right-aligned in 5.
    private const int TypeColumn = 26;
    private const int NameColumn = 21;

    public static string Write(DmaStructLayout layout, int lineSize)
    {
        var text = new StringBuilder();
        text.Append("struct ").Append(layout.TypeName).Append(" {\n");

        var end = 0;
        var holes = new List<int>();
        var lastMarkedLine = 0;
        DmaFieldLayout? previous = null;
        foreach (var field in layout.Fields)
        {
            if (previous is not null && field.Offset > end)
            {
                holes.Add(field.Offset - end);
                Line(text, $"\n\t/* XXX {field.Offset - end} bytes hole, try to pack */\n");
            }

            var line = field.Offset / lineSize;
            if (line > lastMarkedLine)
            {
                var boundary = line * lineSize;
                var ago = field.Offset > boundary ? $" was {field.Offset - boundary} bytes ago" : string.Empty;
                Line(text, $"\t/* --- cacheline {line} boundary ({boundary} bytes){ago} --- */");
                lastMarkedLine = line;
            }

            var member = $"\t{Pad(field.TypeName, TypeColumn)} {Pad(field.Name + ";", NameColumn)} /* {field.Offset,5} {field.Size,5} */";
            Line(text, field.IsDmaBuffer ? member + " /* DMA buffer */" : member);
            end = System.Math.Max(end, field.End);
            previous = field;
        }

        var size = layout.Size;
        var lines = (size + lineSize - 1) / lineSize;
        text.Append('\n');
        Line(text, $"\t/* size: {size}, cachelines: {lines}, members: {layout.Fields.Count} */");
        if (holes.Count > 0)
        {
            Line(text, $"\t/* sum members: {layout.Fields.Sum(field => field.Size)}, holes: {holes.Count}, sum holes: {holes.Sum()} */");
        }

        if (size > end && layout.Fields.Count > 0)
        {
            Line(text, $"\t/* padding: {size - end} */");
        }

        if (size % lineSize != 0)
        {
            Line(text, $"\t/* last cacheline: {size % lineSize} bytes */");
        }

        foreach (var buffer in layout.Fields.Where(field => field.IsDmaBuffer && field.Size > 0))
        {
            Line(text, $"\t/* {DescribeSharing(layout, buffer, lineSize)} */");
        }

        text.Append("};\n");
        return text.ToString();
    }

    /// <summary><c>DMA buffer Rx [4..132) shares line 0 with Status; line 1 with Count</c>, or says it owns its lines.</summary>
    internal static string DescribeSharing(DmaStructLayout layout, DmaFieldLayout buffer, int lineSize)
    {
        var first = buffer.Offset / lineSize;
        var last = (buffer.End - 1) / lineSize;
        var shared = new List<string>();
        for (var line = first; line <= last; line++)
        {
            var lineStart = line * lineSize;
            var lineEnd = lineStart + lineSize;
            var neighbours = layout.Fields
                .Where(field => !ReferenceEquals(field, buffer) && field.Size > 0 && field.Offset < lineEnd && field.End > lineStart)
                .Select(field => NameWithoutLength(field.Name))
                .ToList();
            if (neighbours.Count > 0)
            {
                shared.Add($"line {line} with {string.Join(", ", neighbours)}");
            }
        }

        var range = string.Create(CultureInfo.InvariantCulture, $"DMA buffer {NameWithoutLength(buffer.Name)} [{buffer.Offset}..{buffer.End})");
        var ownership = shared.Count > 0
            ? $"{range} shares {string.Join("; ", shared)}"
            : first == last ? $"{range} owns line {first}" : $"{range} owns lines {first}-{last}";

        // Offsets within the struct only tell the whole story when the struct starts on a line and owns its last one,
        // which [DmaAligned] guarantees (aligned base, size rounded up to the line).
        var edges = new List<string>();
        if (!layout.IsDmaAligned)
        {
            edges.Add("assuming the struct starts on a line boundary: mark it [DmaAligned] or allocate it with Gfp.DmaAligned");
        }

        if (!layout.IsDmaAligned && layout.Size % lineSize != 0 && last == (layout.Size - 1) / lineSize)
        {
            edges.Add($"line {last} may also hold the next allocation: size {layout.Size} is not a multiple of {lineSize}");
        }

        return edges.Count == 0 ? ownership : $"{ownership}; {string.Join("; ", edges)}";
    }

    private static string NameWithoutLength(string name)
    {
        var bracket = name.IndexOf('[', System.StringComparison.Ordinal);
        return bracket < 0 ? name : name[..bracket];
    }

    private static string Pad(string value, int width) => value.Length >= width ? value : value.PadRight(width);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
