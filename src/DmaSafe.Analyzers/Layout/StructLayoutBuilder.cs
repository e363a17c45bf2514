using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Lays out one struct's instance fields by the runtime's rules (LAYOUT-FACTS §2): Sequential with Pack and Size,
/// Explicit with FieldOffset and Size, or InlineArray. One use per struct.
/// </summary>
internal sealed class StructLayoutBuilder
{
    private const string InlineArrayAttributeNamespace = "System.Runtime.CompilerServices";

    private readonly StructLayoutEngine _engine;
    private readonly INamedTypeSymbol _type;
    private readonly bool _fromMetadata;
    private readonly StructLayoutEngine.InProgress _inProgress;

    public StructLayoutBuilder(StructLayoutEngine engine, INamedTypeSymbol type, bool fromMetadata, StructLayoutEngine.InProgress inProgress)
    {
        _engine = engine;
        _type = type;
        _fromMetadata = fromMetadata;
        _inProgress = inProgress;
    }

    private string TypeName => _type.ToDisplayString();

    public TypeLayout Build()
    {
        DeclaredLayout declared;
        if (_fromMetadata)
        {
            if (_engine.Metadata.ReadType(_type) is not { } fromMetadata)
            {
                return Unknown($"the metadata of '{_type.ContainingAssembly?.Name}' could not be read");
            }

            declared = fromMetadata;
        }
        else
        {
            declared = SourceLayoutReader.ReadType(_type);
            if (HiddenFieldDetector.FindCapturedPrimaryConstructorParameter(_type) is { } captured)
            {
                return Unknown($"primary constructor parameter '{captured}' is captured in a hidden compiler-generated field");
            }
        }

        if (!TargetFacts.IsValidPack(declared.Pack))
        {
            return Unknown($"Pack = {declared.Pack} is not 0 or a power of two up to {TargetFacts.MaxPack} (the type would not load)");
        }

        if (declared.Size < 0)
        {
            return Unknown($"Size = {declared.Size} is negative");
        }

        var fields = new List<(IFieldSymbol Field, FieldShape Shape)>();
        foreach (var member in _type.GetMembers())
        {
            if (member is not IFieldSymbol { IsStatic: false, IsConst: false } field)
            {
                continue;
            }

            var shape = ShapeOf(field);
            if (shape.UnknownReason is not null)
            {
                return Unknown($"field '{NameOf(field)}': {shape.UnknownReason}");
            }

            fields.Add((field, shape));
        }

        if (_fromMetadata && _engine.Metadata.CountInstanceFields(_type) is { } metadataCount && metadataCount != fields.Count)
        {
            return Unknown($"its metadata defines {metadataCount} instance fields but only {fields.Count} are visible");
        }

        var containsReferences = false;
        string? firstReference = null;
        foreach (var (field, shape) in fields)
        {
            if (shape.ContainsReferences)
            {
                containsReferences = true;
                firstReference ??= NameOf(field);
            }
        }

        if (FindInlineArrayLength(out var length))
        {
            return BuildInlineArray(declared, fields, length, containsReferences);
        }

        return declared.Kind switch
        {
            DeclaredLayoutKind.Sequential when containsReferences =>
                Unknown($"it holds a GC reference (field '{firstReference}'), so the runtime lays it out Auto and reorders fields"),
            DeclaredLayoutKind.Sequential => BuildSequential(declared, fields),
            DeclaredLayoutKind.Explicit => BuildExplicit(declared, fields, containsReferences),
            DeclaredLayoutKind.Auto => Unknown("it is LayoutKind.Auto, so the runtime reorders fields"),
            _ => Unknown("its layout kind is not Sequential, Explicit or Auto"),
        };
    }

    private TypeLayout BuildSequential(DeclaredLayout declared, List<(IFieldSymbol Field, FieldShape Shape)> fields)
    {
        var builder = ImmutableArray.CreateBuilder<FieldLayout>(fields.Count);
        long cursor = 0;
        var alignment = 1;
        foreach (var (field, shape) in fields)
        {
            var capped = Cap(shape.Alignment, declared.Pack);
            var offset = LayoutMath.AlignUp(cursor, capped);
            cursor = offset + shape.Size;
            alignment = Math.Max(alignment, capped);
            if (cursor > int.MaxValue)
            {
                return Unknown($"field '{NameOf(field)}' ends beyond 2 GiB");
            }

            builder.Add(new FieldLayout(field, (int)offset, shape.Size, capped, shape.Nested));
        }

        return Finish(LayoutRule.Sequential, declared, builder.MoveToImmutable(), cursor, alignment, containsReferences: false);
    }

    private TypeLayout BuildExplicit(DeclaredLayout declared, List<(IFieldSymbol Field, FieldShape Shape)> fields, bool containsReferences)
    {
        if (IsGeneric(_type))
        {
            return Unknown("it is generic and LayoutKind.Explicit, which the runtime refuses to load");
        }

        var builder = ImmutableArray.CreateBuilder<FieldLayout>(fields.Count);
        long cursor = 0;
        var alignment = 1;
        foreach (var (field, shape) in fields)
        {
            var declaredOffset = _fromMetadata ? _engine.Metadata.ReadFieldOffset(field) : SourceLayoutReader.ReadFieldOffset(field);
            if (declaredOffset is not { } offset)
            {
                return Unknown($"field '{NameOf(field)}' has no [FieldOffset] in an explicit layout");
            }

            if (offset < 0)
            {
                return Unknown($"field '{NameOf(field)}' has a negative [FieldOffset({offset})]");
            }

            if (shape.ContainsReferences && (shape.Nested is not null || offset % TargetFacts.PointerSize != 0))
            {
                return Unknown($"field '{NameOf(field)}' holds a GC reference at offset {offset}, which the runtime only accepts pointer-aligned and alone");
            }

            var capped = Cap(shape.Alignment, declared.Pack);
            alignment = Math.Max(alignment, capped);
            cursor = Math.Max(cursor, (long)offset + shape.Size);
            if (cursor > int.MaxValue)
            {
                return Unknown($"field '{NameOf(field)}' ends beyond 2 GiB");
            }

            builder.Add(new FieldLayout(field, offset, shape.Size, capped, shape.Nested));
        }

        var placed = builder.MoveToImmutable();
        if (containsReferences && FindReferenceOverlap(placed, fields) is { } overlap)
        {
            return Unknown(overlap);
        }

        return Finish(LayoutRule.Explicit, declared, placed, cursor, alignment, containsReferences);
    }

    private TypeLayout BuildInlineArray(DeclaredLayout declared, List<(IFieldSymbol Field, FieldShape Shape)> fields, int length, bool containsReferences)
    {
        if (fields.Count != 1)
        {
            return Unknown($"[InlineArray] needs exactly one instance field, it has {fields.Count}");
        }

        if (length <= 0)
        {
            return Unknown($"[InlineArray({length})] needs a positive length");
        }

        if (declared.Kind == DeclaredLayoutKind.Explicit || declared.Size > 0)
        {
            return Unknown("[InlineArray] with an explicit layout or Size does not load (.NET 10)");
        }

        if (containsReferences)
        {
            return Unknown("[InlineArray] of a GC reference is not laid out as bytes a device can own");
        }

        var (field, shape) = fields[0];
        var capped = Cap(shape.Alignment, declared.Pack);
        var total = (long)length * LayoutMath.AlignUp(shape.Size, capped);
        if (total > int.MaxValue)
        {
            return Unknown($"[InlineArray({length})] spans beyond 2 GiB");
        }

        var element = new FieldLayout(field, 0, shape.Size, capped, shape.Nested);
        return TypeLayout.Struct(_type, LayoutRule.InlineArray, (int)total, capped, false, ImmutableArray.Create(element), declared.Pack, 0, length);
    }

    private TypeLayout Finish(LayoutRule rule, DeclaredLayout declared, ImmutableArray<FieldLayout> fields, long cursor, int alignment, bool containsReferences)
    {
        // Size below the natural size is ignored; above it the runtime takes it as is (not rounded to the alignment).
        var size = declared.Size > 0 ? Math.Max(declared.Size, cursor) : LayoutMath.AlignUp(Math.Max(cursor, 1), alignment);
        if (size > int.MaxValue)
        {
            return Unknown("its size is beyond 2 GiB");
        }

        return TypeLayout.Struct(_type, rule, (int)size, alignment, containsReferences, fields, declared.Pack, declared.Size);
    }

    private FieldShape ShapeOf(IFieldSymbol field)
    {
        if (field.RefKind != RefKind.None)
        {
            // A ref field of a ref struct: a byref, pointer-sized; ref structs are not reordered.
            return new FieldShape(TargetFacts.PointerSize, TargetFacts.PointerSize, false, null, null);
        }

        if (field.IsFixedSizeBuffer)
        {
            // Roslyn gives a fixed buffer of a constructed generic struct no length; the definition has it (the element
            // type is always a primitive, never a type parameter).
            var definition = field.OriginalDefinition;
            if (definition.Type is not IPointerTypeSymbol { PointedAtType: { } elementType } || definition.FixedSize <= 0)
            {
                return FieldShape.Unknowable("a fixed buffer without a valid element type or length");
            }

            var element = _engine.GetFieldTypeLayout(elementType, _inProgress);
            if (!element.IsKnown)
            {
                return FieldShape.Unknowable(element.UnknownReason!);
            }

            var bytes = (long)definition.FixedSize * element.Size;
            return bytes > int.MaxValue
                ? FieldShape.Unknowable("a fixed buffer beyond 2 GiB")
                : new FieldShape((int)bytes, element.Alignment, false, null, null);
        }

        var layout = _engine.GetFieldTypeLayout(field.Type, _inProgress);
        if (!layout.IsKnown)
        {
            return FieldShape.Unknowable(layout.UnknownReason!);
        }

        return new FieldShape(layout.Size, layout.Alignment, layout.ContainsReferences, layout.IsStructWithFields ? layout : null, null);
    }

    private bool FindInlineArrayLength(out int length)
    {
        length = 0;
        foreach (var attribute in _type.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "InlineArrayAttribute" } attributeClass &&
                attributeClass.ContainingNamespace?.ToDisplayString() == InlineArrayAttributeNamespace)
            {
                length = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int value ? value : 0;
                return true;
            }
        }

        return false;
    }

    private static string? FindReferenceOverlap(ImmutableArray<FieldLayout> placed, List<(IFieldSymbol Field, FieldShape Shape)> fields)
    {
        for (var i = 0; i < placed.Length; i++)
        {
            if (!fields[i].Shape.ContainsReferences)
            {
                continue;
            }

            for (var j = 0; j < placed.Length; j++)
            {
                if (i != j && !fields[j].Shape.ContainsReferences &&
                    LayoutMath.Overlaps(placed[i].Offset, placed[i].End, placed[j].Offset, placed[j].End))
                {
                    return $"GC reference field '{placed[i].Name}' overlaps field '{placed[j].Name}', which the runtime refuses to load";
                }
            }
        }

        return null;
    }

    private static int Cap(int natural, int pack) => Math.Min(natural, pack == 0 ? TargetFacts.DefaultPacking : pack);

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

    private static string NameOf(IFieldSymbol field) => field.AssociatedSymbol?.Name ?? field.Name;

    private TypeLayout Unknown(string why) => TypeLayout.Unknown(_type, $"'{TypeName}': {why}");

    private readonly struct FieldShape
    {
        public FieldShape(int size, int alignment, bool containsReferences, TypeLayout? nested, string? unknownReason)
        {
            Size = size;
            Alignment = alignment;
            ContainsReferences = containsReferences;
            Nested = nested;
            UnknownReason = unknownReason;
        }

        public int Size { get; }

        public int Alignment { get; }

        public bool ContainsReferences { get; }

        public TypeLayout? Nested { get; }

        public string? UnknownReason { get; }

        public static FieldShape Unknowable(string reason) => new(0, 0, false, null, reason);
    }
}
