using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Where a buffer reached through a chain of fields (<c>root.inner.buf</c>) sits inside its root struct, and which other
/// fields' bytes share its cache lines. Padding is nobody's data: lines shared only with padding are private.
/// </summary>
internal sealed class BufferPlacement
{
    private BufferPlacement(TypeLayout root, ImmutableArray<PlacedField> chain)
    {
        Root = root;
        Chain = chain;
    }

    /// <summary>The root struct's layout.</summary>
    public TypeLayout Root { get; }

    /// <summary>Each field of the chain with its offset from the start of the root; the last one is the buffer.</summary>
    public ImmutableArray<PlacedField> Chain { get; }

    /// <summary>The buffer's field.</summary>
    public PlacedField Buffer => Chain[Chain.Length - 1];

    /// <summary>First byte of the buffer, from the start of the root.</summary>
    public int Start => Buffer.Offset;

    /// <summary>One past the last byte of the buffer, from the start of the root.</summary>
    public int End => Buffer.Offset + Buffer.Field.Size;

    /// <summary>
    /// Places <paramref name="chain"/> (fields from the root outwards) in <paramref name="rootType"/>, or explains why
    /// it cannot: an unknown layout anywhere on the way, or a chain that does not belong to the root.
    /// </summary>
    public static BufferPlacement? Locate(StructLayoutEngine engine, ITypeSymbol rootType, IReadOnlyList<IFieldSymbol> chain, out string? whyNot)
    {
        whyNot = null;
        var rootLayout = engine.GetLayout(rootType);
        if (!rootLayout.IsKnown)
        {
            whyNot = $"the layout of '{rootType.ToDisplayString()}' is unknown ({rootLayout.UnknownReason})";
            return null;
        }

        var placed = ImmutableArray.CreateBuilder<PlacedField>(chain.Count);
        var container = rootLayout;
        var offset = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            var field = container.FindField(chain[i]);
            if (field is null)
            {
                whyNot = $"'{chain[i].Name}' is not an instance field of '{container.Type.ToDisplayString()}'";
                return null;
            }

            offset += field.Offset;
            placed.Add(new PlacedField(field, container, offset));
            if (i + 1 < chain.Count)
            {
                if (field.FieldTypeLayout is not { IsStructWithFields: true } nested)
                {
                    whyNot = $"'{field.Name}' has no fields of its own";
                    return null;
                }

                // Through an [InlineArray] element (st->lines[i].buf) the path continues in the element type; the
                // index is not tracked, so element 0 stands for all of them.
                if (nested.Rule == LayoutRule.InlineArray &&
                    nested.Fields.Length == 1 &&
                    nested.Fields[0].FieldTypeLayout is { IsStructWithFields: true } element &&
                    element.FindField(chain[i + 1]) is not null)
                {
                    placed[placed.Count - 1] = new PlacedField(field, container, offset, nested);
                    nested = element;
                }

                container = nested;
            }
        }

        return new BufferPlacement(rootLayout, placed.MoveToImmutable());
    }

    /// <summary>The first line-aligned offset at or before the buffer, and the first one at or after its end.</summary>
    public (int Start, int End) LineSpan(int lineSize) =>
        ((int)LayoutMath.AlignDown(Start, lineSize), (int)LayoutMath.AlignUp(End, lineSize));

    /// <summary>
    /// The fields (leaves, through nested structs) outside the buffer whose bytes lie in the buffer's lines, with their
    /// ranges from the start of the root. Overlapping (union) fields of an explicit layout count as sharing; hand-written
    /// padding (<see cref="PaddingFields"/>) does not, nor do fields <paramref name="isOtherBuffer"/> says are DMA
    /// buffers themselves (the kernel idiom: tx and rx grouped in one aligned region, each owned by the device in turn).
    /// </summary>
    public ImmutableArray<Neighbour> NeighboursInLines(int lineSize, System.Func<IFieldSymbol, bool>? isOtherBuffer = null)
    {
        var (lineStart, lineEnd) = LineSpan(lineSize);
        var found = ImmutableArray.CreateBuilder<Neighbour>();
        var prefix = "";
        for (var i = 0; i < Chain.Length; i++)
        {
            var onChain = Chain[i];
            var containerOffset = onChain.Offset - onChain.Field.Offset;
            foreach (var sibling in onChain.Container.Fields)
            {
                if (!ReferenceEquals(sibling, onChain.Field))
                {
                    CollectLeaves(sibling, containerOffset, prefix, lineStart, lineEnd, isOtherBuffer, found);
                }
            }

            if (onChain.InlineArray is { } array)
            {
                // The path goes through element 0; the other elements are neighbours like any other field.
                var element = array.Fields[0];
                var stride = array.Size / array.InlineArrayLength;
                for (var index = 1; index < array.InlineArrayLength; index++)
                {
                    var elementPrefix = $"{prefix}{onChain.Field.Name}[{index}].";
                    foreach (var leaf in element.FieldTypeLayout!.Fields)
                    {
                        CollectLeaves(leaf, onChain.Offset + (index * stride), elementPrefix, lineStart, lineEnd, isOtherBuffer, found);
                    }
                }

                prefix += onChain.Field.Name + "[0].";
                continue;
            }

            prefix += onChain.Field.Name + ".";
        }

        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.Path, b.Path));
        return found.ToImmutable();
    }

    private static void CollectLeaves(
        FieldLayout field,
        int containerOffset,
        string prefix,
        int lineStart,
        int lineEnd,
        System.Func<IFieldSymbol, bool>? isOtherBuffer,
        ImmutableArray<Neighbour>.Builder found)
    {
        var start = containerOffset + field.Offset;
        var end = start + field.Size;
        if (field.Size == 0 ||
            PaddingFields.IsPadding(field.Field) ||
            isOtherBuffer?.Invoke(field.Field) == true ||
            !LayoutMath.Overlaps(start, end, lineStart, lineEnd))
        {
            return;
        }

        if (field.FieldTypeLayout is { Rule: LayoutRule.Sequential or LayoutRule.Explicit } nested && nested.Fields.Length > 0)
        {
            foreach (var inner in nested.Fields)
            {
                CollectLeaves(inner, start, prefix + field.Name + ".", lineStart, lineEnd, isOtherBuffer, found);
            }

            return;
        }

        found.Add(new Neighbour(prefix + field.Name, start, end));
    }

    /// <summary>One field of the chain: its layout, the struct it is in, and its offset from the root.</summary>
    internal sealed class PlacedField
    {
        public PlacedField(FieldLayout field, TypeLayout container, int offset, TypeLayout? inlineArray = null)
        {
            Field = field;
            Container = container;
            Offset = offset;
            InlineArray = inlineArray;
        }

        /// <summary>When the path steps into an element of this [InlineArray] field, the array's layout.</summary>
        public TypeLayout? InlineArray { get; }

        /// <summary>The field as laid out in <see cref="Container"/>.</summary>
        public FieldLayout Field { get; }

        /// <summary>The struct holding the field.</summary>
        public TypeLayout Container { get; }

        /// <summary>The field's offset from the start of the root.</summary>
        public int Offset { get; }
    }

    /// <summary>A field outside the buffer whose bytes share one of its lines.</summary>
    internal sealed class Neighbour
    {
        public Neighbour(string path, int start, int end)
        {
            Path = path;
            Start = start;
            End = end;
        }

        /// <summary>The field's path from the root: <c>status</c>, <c>inner.flags</c>.</summary>
        public string Path { get; }

        public int Start { get; }

        public int End { get; }

        /// <summary>Whether any byte of this field lies in line <paramref name="line"/>.</summary>
        public bool TouchesLine(int line, int lineSize) => LayoutMath.Overlaps(Start, End, (long)line * lineSize, (long)(line + 1) * lineSize);
    }
}
