using CsCheck;

namespace DmaSafe.Analyzers.Tests.Reliability.Layout;

/// <summary>How a random struct is declared.</summary>
public enum RandomLayoutKind
{
    /// <summary>C#'s default (no attribute, or Sequential with Pack/Size).</summary>
    Sequential,

    /// <summary>[StructLayout(Explicit)] with a [FieldOffset] on every field.</summary>
    Explicit,

    /// <summary>[InlineArray(n)] of one element field.</summary>
    InlineArray,

    /// <summary>[StructLayout(LayoutKind.Auto)]: the runtime reorders, the engine must say unknown (or be right).</summary>
    Auto,
}

/// <summary>What a random field is.</summary>
public enum RandomFieldKind
{
    /// <summary>A primitive, enum, pointer or BCL value type from the engine's supported set.</summary>
    Scalar,

    /// <summary>A <c>fixed T name[n]</c> buffer.</summary>
    FixedBuffer,

    /// <summary>An earlier random struct embedded by value.</summary>
    Nested,

    /// <summary>Something whose layout a compile-time engine cannot know (references, Vector&lt;T&gt;).</summary>
    Unknowable,
}

/// <summary>One field: <see cref="Pick"/> selects the type, <see cref="Count"/> a buffer length, <see cref="Offset"/> an explicit offset.</summary>
public sealed record RandomFieldSpec(RandomFieldKind Kind, int Pick, int Count, int Offset);

/// <summary>One struct: its kind, Pack, Size (0 = none), InlineArray length and fields.</summary>
public sealed record RandomStructSpec(RandomLayoutKind Kind, int Pack, int Size, int Length, RandomFieldSpec[] Fields)
{
    private static readonly int[] Packs = { 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128 };

    /// <summary>Fields: mostly scalars and buffers, often nested structs, sometimes something unknowable.</summary>
    public static readonly Gen<RandomFieldSpec> FieldGen =
        Gen.Select(
            Gen.Frequency((10, Gen.Const(RandomFieldKind.Scalar)), (4, Gen.Const(RandomFieldKind.FixedBuffer)), (6, Gen.Const(RandomFieldKind.Nested)), (1, Gen.Const(RandomFieldKind.Unknowable))),
            Gen.Int[0, 10_000],
            Gen.Int[1, 40],
            Gen.Int[0, 80],
            (kind, pick, count, offset) => new RandomFieldSpec(kind, pick, count, offset));

    /// <summary>Structs of every kind, any Pack, sometimes a Size, one to eight fields.</summary>
    public static readonly Gen<RandomStructSpec> StructGen =
        CsCheck.Gen.Select(
            CsCheck.Gen.Frequency((10, CsCheck.Gen.Const(RandomLayoutKind.Sequential)), (5, CsCheck.Gen.Const(RandomLayoutKind.Explicit)), (3, CsCheck.Gen.Const(RandomLayoutKind.InlineArray)), (1, CsCheck.Gen.Const(RandomLayoutKind.Auto))),
            CsCheck.Gen.Int[0, Packs.Length - 1],
            CsCheck.Gen.Int[0, 300],
            CsCheck.Gen.Int[1, 9],
            FieldGen.Array[1, 8],
            (kind, pack, size, length, fields) => new RandomStructSpec(kind, Packs[pack], size % 3 == 0 ? size / 3 + 1 : 0, length, fields));
}
