using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Flow;

/// <summary>What both tracing paths (operations and syntax) ask of a type while following an address to its memory.</summary>
internal static class AccessTypes
{
    /// <summary>The type a pointer points at; null for anything else.</summary>
    public static ITypeSymbol? PointedAt(ITypeSymbol? type) => type is IPointerTypeSymbol pointer ? pointer.PointedAtType : null;

    /// <summary>void, byte or sbyte: a pointer to these says nothing about the struct behind it.</summary>
    public static bool IsUntyped(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Void or SpecialType.System_Byte or SpecialType.System_SByte;

    public static bool IsNumeric(ITypeSymbol type) =>
        type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double || type.TypeKind == TypeKind.Enum;

    /// <summary>Types whose value is an address (followed through assignments) rather than storage.</summary>
    public static bool IsValueCarrier(ITypeSymbol? type) =>
        type is null || DmaSymbols.IsPointerLike(type) || type.IsReferenceType || IsNumeric(type);

    /// <summary>System.Span&lt;T&gt; or System.ReadOnlySpan&lt;T&gt;.</summary>
    public static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol named
        && (named.Name == "Span" || named.Name == "ReadOnlySpan")
        && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };
}
