using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Runtime value types whose layout cannot be read from the assemblies a compilation sees: reference assemblies
/// replace private fields with dummies, and the runtime gives some types an alignment their fields do not imply
/// (Int128, the hardware vectors). Sizes and alignments as fields, measured on x64 (LAYOUT-FACTS §4).
/// </summary>
internal static class KnownValueTypes
{
    /// <summary>How a table entry is laid out.</summary>
    public enum Shape
    {
        /// <summary>Fixed size and alignment.</summary>
        Fixed,

        /// <summary>Sequential over the type arguments with a leading bool (<c>Nullable&lt;T&gt;</c> = { bool hasValue; T value }).</summary>
        BoolThenTypeArguments,

        /// <summary>Sequential over the type arguments (<c>KeyValuePair&lt;K, V&gt;</c> = { K key; V value }).</summary>
        TypeArguments,

        /// <summary>Known to be unknowable; the entry carries the reason.</summary>
        Unknowable,
    }

    /// <summary>One row of the table.</summary>
    public sealed class Entry
    {
        public Entry(Shape shape, int size, int alignment, string? reason = null)
        {
            Kind = shape;
            Size = size;
            Alignment = alignment;
            Reason = reason;
        }

        /// <summary>How the type is laid out.</summary>
        public Shape Kind { get; }

        /// <summary>Size for <see cref="Shape.Fixed"/>.</summary>
        public int Size { get; }

        /// <summary>Alignment for <see cref="Shape.Fixed"/>.</summary>
        public int Alignment { get; }

        /// <summary>Why the layout is unknowable, for <see cref="Shape.Unknowable"/>.</summary>
        public string? Reason { get; }
    }

    private static readonly Dictionary<string, Entry> Table = new()
    {
        ["System.Decimal"] = Fixed(16, 8),
        ["System.DateTime"] = Fixed(8, 8),
        ["System.DateTimeOffset"] = Fixed(16, 8),
        ["System.TimeSpan"] = Fixed(8, 8),
        ["System.DateOnly"] = Fixed(4, 4),
        ["System.TimeOnly"] = Fixed(8, 8),
        ["System.Guid"] = Fixed(16, 4),
        ["System.Half"] = Fixed(2, 2),
        ["System.Index"] = Fixed(4, 4),
        ["System.Range"] = Fixed(8, 4),

        // The runtime raises Int128's alignment to 16 within structs (dotnet/runtime PR #74386), x64 and arm64.
        ["System.Int128"] = Fixed(16, 16),
        ["System.UInt128"] = Fixed(16, 16),

        // Hardware vectors: x64 figures. Vector256/512 align to 16 on arm64; we follow the measured x64 target.
        ["System.Runtime.Intrinsics.Vector64`1"] = Fixed(8, 8),
        ["System.Runtime.Intrinsics.Vector128`1"] = Fixed(16, 16),
        ["System.Runtime.Intrinsics.Vector256`1"] = Fixed(32, 32),
        ["System.Runtime.Intrinsics.Vector512`1"] = Fixed(64, 64),
        ["System.Numerics.Vector`1"] = new Entry(
            Shape.Unknowable,
            0,
            0,
            "System.Numerics.Vector<T> has a size chosen by the hardware at run time (16, 32 or 64 bytes)"),

        ["System.Numerics.Vector2"] = Fixed(8, 4),
        ["System.Numerics.Vector3"] = Fixed(12, 4),
        ["System.Numerics.Vector4"] = Fixed(16, 4),
        ["System.Numerics.Quaternion"] = Fixed(16, 4),
        ["System.Numerics.Plane"] = Fixed(16, 4),
        ["System.Numerics.Matrix3x2"] = Fixed(24, 4),
        ["System.Numerics.Matrix4x4"] = Fixed(64, 4),
        ["System.Numerics.Complex"] = Fixed(16, 8),

        ["System.Nullable`1"] = new Entry(Shape.BoolThenTypeArguments, 0, 0),
        ["System.Collections.Generic.KeyValuePair`2"] = new Entry(Shape.TypeArguments, 0, 0),

        // ref structs: a byref (8) and an int length.
        ["System.Span`1"] = Fixed(16, 8),
        ["System.ReadOnlySpan`1"] = Fixed(16, 8),
    };

    /// <summary>The table entry for <paramref name="type"/> (matched by full metadata name), or null.</summary>
    public static Entry? Find(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        if (definition.ContainingType is not null || definition.ContainingNamespace is null)
        {
            return null;
        }

        var ns = definition.ContainingNamespace.ToDisplayString();
        if (!ns.StartsWith("System", System.StringComparison.Ordinal))
        {
            return null;
        }

        var name = definition.MetadataName;
        if (ns == "System" && name.StartsWith("ValueTuple", System.StringComparison.Ordinal))
        {
            return new Entry(Shape.Unknowable, 0, 0, "System.ValueTuple is laid out Auto by the runtime (fields reordered)");
        }

        return Table.TryGetValue(ns + "." + name, out var entry) ? entry : null;
    }

    private static Entry Fixed(int size, int alignment) => new(Shape.Fixed, size, alignment);
}
