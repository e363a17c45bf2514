using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// The managed layout of a type as a field: its size, its alignment and, for structs, where each instance field sits.
/// Either known exactly or unknown with a reason; never a guess.
/// </summary>
internal sealed class TypeLayout
{
    private TypeLayout(
        ITypeSymbol type,
        LayoutRule rule,
        string? unknownReason,
        int size,
        int alignment,
        bool containsReferences,
        ImmutableArray<FieldLayout> fields,
        int pack,
        int declaredSize,
        int inlineArrayLength)
    {
        Type = type;
        Rule = rule;
        UnknownReason = unknownReason;
        Size = size;
        Alignment = alignment;
        ContainsReferences = containsReferences;
        Fields = fields;
        Pack = pack;
        DeclaredSize = declaredSize;
        InlineArrayLength = inlineArrayLength;
    }

    /// <summary>The type this layout describes.</summary>
    public ITypeSymbol Type { get; }

    /// <summary>The rule that produced the layout.</summary>
    public LayoutRule Rule { get; }

    /// <summary>Whether size, alignment and field offsets are exact.</summary>
    public bool IsKnown => Rule != LayoutRule.Unknown;

    /// <summary>Why the layout is unknown (null when known): names the type or field that made it unknowable.</summary>
    public string? UnknownReason { get; }

    /// <summary>Size in bytes as a field or array element (<c>Unsafe.SizeOf&lt;T&gt;()</c>). 0 when unknown.</summary>
    public int Size { get; }

    /// <summary>Alignment as a field, before any Pack of a containing struct caps it. 0 when unknown.</summary>
    public int Alignment { get; }

    /// <summary>Whether a GC reference sits anywhere inside (which turns a Sequential struct Auto).</summary>
    public bool ContainsReferences { get; }

    /// <summary>Instance fields in declaration (metadata) order; empty for non-structs and unknown layouts.</summary>
    public ImmutableArray<FieldLayout> Fields { get; }

    /// <summary>The struct's declared Pack (0 = default).</summary>
    public int Pack { get; }

    /// <summary>The struct's declared Size (0 = none).</summary>
    public int DeclaredSize { get; }

    /// <summary>The element count of an <c>[InlineArray]</c> struct (0 otherwise).</summary>
    public int InlineArrayLength { get; }

    /// <summary>Whether the type is a struct with instance fields laid out by Sequential, Explicit or InlineArray.</summary>
    public bool IsStructWithFields => Rule is LayoutRule.Sequential or LayoutRule.Explicit or LayoutRule.InlineArray;

    /// <summary>A layout that cannot be determined, with the reason.</summary>
    public static TypeLayout Unknown(ITypeSymbol type, string reason) =>
        new(type, LayoutRule.Unknown, reason, 0, 0, false, ImmutableArray<FieldLayout>.Empty, 0, 0, 0);

    /// <summary>A type without instance fields of its own (primitive, pointer, reference, table entry, enum).</summary>
    public static TypeLayout Scalar(ITypeSymbol type, LayoutRule rule, int size, int alignment, bool containsReferences = false) =>
        new(type, rule, null, size, alignment, containsReferences, ImmutableArray<FieldLayout>.Empty, 0, 0, 0);

    /// <summary>A struct whose fields were placed by <paramref name="rule"/>.</summary>
    public static TypeLayout Struct(
        ITypeSymbol type,
        LayoutRule rule,
        int size,
        int alignment,
        bool containsReferences,
        ImmutableArray<FieldLayout> fields,
        int pack,
        int declaredSize,
        int inlineArrayLength = 0) =>
        new(type, rule, null, size, alignment, containsReferences, fields, pack, declaredSize, inlineArrayLength);

    /// <summary>The field layout of <paramref name="field"/> in this struct, or null.</summary>
    public FieldLayout? FindField(IFieldSymbol field)
    {
        foreach (var candidate in Fields)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.Field, field) ||
                SymbolEqualityComparer.Default.Equals(candidate.Field.OriginalDefinition, field.OriginalDefinition))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        IsKnown ? $"{Type.ToDisplayString()}: {Rule}, size {Size}, align {Alignment}" : $"{Type.ToDisplayString()}: unknown ({UnknownReason})";
}
