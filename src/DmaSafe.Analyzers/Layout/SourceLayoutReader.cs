using System;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Reads StructLayout and FieldOffset from attributes. Works for types compiled from source (this compilation or a
/// referenced project), where Roslyn keeps the pseudo-attributes in <see cref="ISymbol.GetAttributes"/>.
/// </summary>
internal static class SourceLayoutReader
{
    private const string StructLayoutAttributeName = "StructLayoutAttribute";
    private const string FieldOffsetAttributeName = "FieldOffsetAttribute";
    private const string InteropNamespace = "System.Runtime.InteropServices";

    // System.Runtime.InteropServices.LayoutKind values (ECMA-335 TypeAttributes.LayoutMask shifted out).
    private const int LayoutKindSequential = 0;
    private const int LayoutKindExplicit = 2;
    private const int LayoutKindAuto = 3;

    /// <summary>The declared layout of <paramref name="type"/>: its StructLayout attribute, or the C# default for its kind.</summary>
    public static DeclaredLayout ReadType(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (!IsInteropAttribute(attribute.AttributeClass, StructLayoutAttributeName))
            {
                continue;
            }

            var kind = DeclaredLayoutKind.Other;
            if (attribute.ConstructorArguments.Length == 1 && TryGetInt(attribute.ConstructorArguments[0], out var rawKind))
            {
                kind = rawKind switch
                {
                    LayoutKindSequential => DeclaredLayoutKind.Sequential,
                    LayoutKindExplicit => DeclaredLayoutKind.Explicit,
                    LayoutKindAuto => DeclaredLayoutKind.Auto,
                    _ => DeclaredLayoutKind.Other,
                };
            }

            var pack = 0;
            var size = 0;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Pack" && TryGetInt(named.Value, out var packValue))
                {
                    pack = packValue;
                }
                else if (named.Key == "Size" && TryGetInt(named.Value, out var sizeValue))
                {
                    size = sizeValue;
                }
            }

            return new DeclaredLayout(kind, pack, size);
        }

        return new DeclaredLayout(type.TypeKind == TypeKind.Struct ? DeclaredLayoutKind.Sequential : DeclaredLayoutKind.Auto, 0, 0);
    }

    /// <summary>The <c>[FieldOffset]</c> of <paramref name="field"/>, or null when it has none.</summary>
    public static int? ReadFieldOffset(IFieldSymbol field)
    {
        foreach (var attribute in field.GetAttributes())
        {
            if (IsInteropAttribute(attribute.AttributeClass, FieldOffsetAttributeName) &&
                attribute.ConstructorArguments.Length == 1 &&
                TryGetInt(attribute.ConstructorArguments[0], out var offset))
            {
                return offset;
            }
        }

        return null;
    }

    private static bool IsInteropAttribute(INamedTypeSymbol? attributeClass, string name) =>
        attributeClass is not null &&
        attributeClass.Name == name &&
        attributeClass.ContainingNamespace?.ToDisplayString() == InteropNamespace;

    private static bool TryGetInt(TypedConstant constant, out int value)
    {
        value = 0;
        if (constant.Kind is TypedConstantKind.Error or TypedConstantKind.Array || constant.Value is null)
        {
            return false;
        }

        try
        {
            value = Convert.ToInt32(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
        {
            return false;
        }
    }
}
