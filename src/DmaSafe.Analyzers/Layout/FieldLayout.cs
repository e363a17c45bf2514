using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>Where one instance field sits inside its struct.</summary>
internal sealed class FieldLayout
{
    public FieldLayout(IFieldSymbol field, int offset, int size, int alignment, TypeLayout? fieldTypeLayout)
    {
        Field = field;
        Offset = offset;
        Size = size;
        Alignment = alignment;
        FieldTypeLayout = fieldTypeLayout;
    }

    /// <summary>The field (for a record struct's positional member, its backing field).</summary>
    public IFieldSymbol Field { get; }

    /// <summary>The name users know the field by: the property name for a backing field.</summary>
    public string Name => Field.AssociatedSymbol?.Name ?? Field.Name;

    /// <summary>Byte offset from the start of the struct.</summary>
    public int Offset { get; }

    /// <summary>Bytes the field occupies (for a fixed buffer, all its elements).</summary>
    public int Size { get; }

    /// <summary>One past the last byte of the field.</summary>
    public int End => Offset + Size;

    /// <summary>The alignment the field got in this struct (its natural alignment capped by Pack).</summary>
    public int Alignment { get; }

    /// <summary>The nested layout when the field is itself a struct (null for primitives, pointers, references and fixed buffers).</summary>
    public TypeLayout? FieldTypeLayout { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{Offset}..{End})";
}
