using System;
using System.Linq;

namespace DmaSafe;

/// <summary>Types written the way C# source writes them (<c>int</c>, <c>byte*</c>, <c>Pair&lt;int, long&gt;</c>), for the layout view.</summary>
internal static class TypeNames
{
    public static string Of(Type type)
    {
        if (type.IsPointer)
        {
            return Of(type.GetElementType()!) + "*";
        }

        if (type.IsFunctionPointer)
        {
            return "delegate*";
        }

        if (Type.GetTypeCode(type) is var code && Keyword(code) is { } keyword && !type.IsEnum)
        {
            return keyword;
        }

        if (type == typeof(nint))
        {
            return "nint";
        }

        if (type == typeof(nuint))
        {
            return "nuint";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick < 0 ? name : name[..tick]) + "<" + string.Join(", ", type.GetGenericArguments().Select(Of)) + ">";
    }

    private static string? Keyword(TypeCode code) => code switch
    {
        TypeCode.Boolean => "bool",
        TypeCode.Byte => "byte",
        TypeCode.SByte => "sbyte",
        TypeCode.Char => "char",
        TypeCode.Int16 => "short",
        TypeCode.UInt16 => "ushort",
        TypeCode.Int32 => "int",
        TypeCode.UInt32 => "uint",
        TypeCode.Int64 => "long",
        TypeCode.UInt64 => "ulong",
        TypeCode.Single => "float",
        TypeCode.Double => "double",
        TypeCode.Decimal => "decimal",
        _ => null,
    };
}
