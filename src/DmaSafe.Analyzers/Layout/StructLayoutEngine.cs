using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Computes the exact managed layout CoreCLR gives a type (LAYOUT-FACTS §2), from Roslyn symbols: source types through
/// their attributes, referenced assemblies through their metadata, runtime types through a measured table.
/// Anything it cannot know for certain comes back as <see cref="TypeLayout.Unknown"/> with the reason.
/// One instance per compilation (results are cached here, never in statics); safe to use from several threads.
/// </summary>
internal sealed class StructLayoutEngine
{
    private readonly ConcurrentDictionary<ITypeSymbol, TypeLayout> _cache =
        new(SymbolEqualityComparer.Default as IEqualityComparer<ITypeSymbol>);

    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _referenceAssemblies =
        new(SymbolEqualityComparer.Default as IEqualityComparer<IAssemblySymbol>);

    private readonly MetadataLayoutReader _metadata;

    public StructLayoutEngine(Compilation compilation)
    {
        Compilation = compilation;
        _metadata = new MetadataLayoutReader(compilation);
    }

    /// <summary>The compilation whose types this engine lays out.</summary>
    public Compilation Compilation { get; }

    /// <summary>The layout of <paramref name="type"/> as a field (and, for a struct, of its fields).</summary>
    public TypeLayout GetLayout(ITypeSymbol type) => GetLayout(type, InProgress.Empty);

    private TypeLayout GetLayout(ITypeSymbol type, InProgress inProgress)
    {
        if (_cache.TryGetValue(type, out var cached))
        {
            return cached;
        }

        var layout = Compute(type, inProgress);
        return _cache.GetOrAdd(type, layout);
    }

    private TypeLayout Compute(ITypeSymbol type, InProgress inProgress)
    {
        if (type.TypeKind == TypeKind.Error)
        {
            return TypeLayout.Unknown(type, $"type '{type.ToDisplayString()}' could not be resolved");
        }

        switch (type)
        {
            case ITypeParameterSymbol parameter:
                return TypeLayout.Unknown(type, $"type parameter '{parameter.Name}': the layout depends on the type argument");
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return TypeLayout.Scalar(type, LayoutRule.Pointer, TargetFacts.PointerSize, TargetFacts.PointerSize);
        }

        var primitive = PrimitiveSize(type.SpecialType);
        if (primitive > 0)
        {
            var rule = type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr ? LayoutRule.Pointer : LayoutRule.Primitive;
            return TypeLayout.Scalar(type, rule, primitive, primitive);
        }

        if (type.IsReferenceType)
        {
            return TypeLayout.Scalar(type, LayoutRule.Reference, TargetFacts.PointerSize, TargetFacts.PointerSize, containsReferences: true);
        }

        if (type is not INamedTypeSymbol named)
        {
            return TypeLayout.Unknown(type, $"'{type.ToDisplayString()}' is not a struct, primitive or pointer");
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            if (named.EnumUnderlyingType is not { } underlying)
            {
                return TypeLayout.Unknown(type, $"enum '{type.ToDisplayString()}' has no underlying type");
            }

            var underlyingLayout = GetLayout(underlying, inProgress);
            return underlyingLayout.IsKnown
                ? TypeLayout.Scalar(type, LayoutRule.Enum, underlyingLayout.Size, underlyingLayout.Alignment)
                : TypeLayout.Unknown(type, $"enum '{type.ToDisplayString()}': {underlyingLayout.UnknownReason}");
        }

        if (named.TypeKind != TypeKind.Struct)
        {
            return TypeLayout.Unknown(type, $"'{type.ToDisplayString()}' is a {named.TypeKind}, not a struct");
        }

        if (KnownValueTypes.Find(named) is { } known)
        {
            return FromTable(named, known, inProgress);
        }

        if (inProgress.Contains(named))
        {
            return TypeLayout.Unknown(type, $"'{type.ToDisplayString()}' contains itself (a layout cycle)");
        }

        var fromMetadata = _metadata.IsFromMetadata(named);
        if (fromMetadata && HidesPrivateFields(named))
        {
            return TypeLayout.Unknown(
                type,
                $"'{type.ToDisplayString()}' comes from the reference assembly '{named.ContainingAssembly.Name}', which hides private fields");
        }

        return new StructLayoutBuilder(this, named, fromMetadata, inProgress.Push(named)).Build();
    }

    private TypeLayout FromTable(INamedTypeSymbol type, KnownValueTypes.Entry known, InProgress inProgress)
    {
        switch (known.Kind)
        {
            case KnownValueTypes.Shape.Fixed:
                return TypeLayout.Scalar(type, LayoutRule.KnownType, known.Size, known.Alignment);
            case KnownValueTypes.Shape.Unknowable:
                return TypeLayout.Unknown(type, known.Reason ?? $"'{type.ToDisplayString()}' has no fixed layout");
        }

        // Nullable<T> and KeyValuePair<K, V>: Sequential structs over their type arguments.
        var size = 0L;
        var alignment = 1;
        var parts = new List<ITypeSymbol>();
        if (known.Kind == KnownValueTypes.Shape.BoolThenTypeArguments)
        {
            parts.Add(Compilation.GetSpecialType(SpecialType.System_Boolean));
        }

        parts.AddRange(type.TypeArguments);
        var containsReferences = false;
        foreach (var part in parts)
        {
            var partLayout = GetLayout(part, inProgress);
            if (!partLayout.IsKnown)
            {
                return TypeLayout.Unknown(type, $"'{type.ToDisplayString()}': {partLayout.UnknownReason}");
            }

            containsReferences |= partLayout.ContainsReferences;
            size = LayoutMath.AlignUp(size, partLayout.Alignment) + partLayout.Size;
            alignment = System.Math.Max(alignment, partLayout.Alignment);
        }

        if (containsReferences)
        {
            return TypeLayout.Unknown(type, $"'{type.ToDisplayString()}' holds a GC reference, so the runtime lays it out Auto");
        }

        return TypeLayout.Scalar(type, LayoutRule.KnownType, (int)LayoutMath.AlignUp(size, alignment), alignment);
    }

    /// <summary>The layout of a field's type, seen from inside the struct being built.</summary>
    internal TypeLayout GetFieldTypeLayout(ITypeSymbol type, InProgress inProgress) => GetLayout(type, inProgress);

    /// <summary>The metadata reader for types from PE references.</summary>
    internal MetadataLayoutReader Metadata => _metadata;

    /// <summary>
    /// Whether a metadata struct's fields may be stand-ins. The compiler's own reference assemblies (what project
    /// references compile against) keep every field of a struct with its type and offset; the framework's reference
    /// packs and GenAPI-made <c>ref/</c> folders replace private fields with <c>_dummy</c>/<c>_dummyPrimitive</c>.
    /// So: framework reference assemblies never count, others only while no dummy field shows.
    /// </summary>
    private bool HidesPrivateFields(INamedTypeSymbol type)
    {
        var assembly = type.ContainingAssembly;
        if (!IsReferenceAssembly(assembly))
        {
            return false;
        }

        if (IsFrameworkAssembly(assembly.Name))
        {
            return true;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, Name: "_dummy" or "_dummyPrimitive" })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFrameworkAssembly(string name) =>
        name is "mscorlib" or "netstandard" or "System" ||
        name.StartsWith("System.", System.StringComparison.Ordinal) ||
        name.StartsWith("Microsoft.", System.StringComparison.Ordinal);

    private bool IsReferenceAssembly(IAssemblySymbol assembly) =>
        _referenceAssemblies.GetOrAdd(assembly, static a =>
        {
            foreach (var attribute in a.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "ReferenceAssemblyAttribute" } attributeClass &&
                    attributeClass.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices")
                {
                    return true;
                }
            }

            return false;
        });

    private static int PrimitiveSize(SpecialType specialType) => specialType switch
    {
        SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => 1,
        SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
        SpecialType.System_IntPtr or SpecialType.System_UIntPtr => TargetFacts.PointerSize,
        _ => 0,
    };

    /// <summary>The structs whose layout is being computed on this call chain (the cycle guard); immutable, so thread-safe.</summary>
    internal sealed class InProgress
    {
        public static readonly InProgress Empty = new(null, null);

        private readonly ITypeSymbol? _type;
        private readonly InProgress? _next;

        private InProgress(ITypeSymbol? type, InProgress? next)
        {
            _type = type;
            _next = next;
        }

        public InProgress Push(ITypeSymbol type) => new(type, this);

        public bool Contains(ITypeSymbol type)
        {
            for (var node = this; node?._type is not null; node = node._next)
            {
                if (SymbolEqualityComparer.Default.Equals(node._type, type))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
