using System.Collections.Generic;
using System.Linq;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>
/// A struct to lay out: its declarations, the root type to check, and (for the rows of LAYOUT-FACTS §3) the literal
/// offsets, size and alignment measured when the facts were written. Every row is also measured again at test time.
/// </summary>
public sealed record LayoutRow(string Id, string Declarations, string Root, int[]? Offsets = null, int Size = 0, int Align = 0, bool Unknown = false, bool IsRefStruct = false, bool KnownFromMetadata = false)
{
    public string Namespace => "Row_" + Id;

    public string MetadataName => Namespace + "." + Root;

    public override string ToString() => Id;
}

/// <summary>The table of structs the engine is checked against.</summary>
public static class LayoutRows
{
    private const string Row1Fields = "public byte a; public int b; public byte c; public long d; public short e;";

    public static readonly IReadOnlyList<LayoutRow> All = new LayoutRow[]
    {
        // LAYOUT-FACTS §3, with the literal numbers measured there.
        new("Facts_Mixed", $"public struct S {{ {Row1Fields} }}", "S", new[] { 0, 4, 8, 16, 24 }, 32, 8),
        new("Facts_MixedPack1", $"[StructLayout(LayoutKind.Sequential, Pack = 1)] public struct S {{ {Row1Fields} }}", "S", new[] { 0, 1, 5, 6, 14 }, 16, 1),
        new("Facts_MixedPack2", $"[StructLayout(LayoutKind.Sequential, Pack = 2)] public struct S {{ {Row1Fields} }}", "S", new[] { 0, 2, 6, 8, 16 }, 18, 2),
        new("Facts_MixedPack4", $"[StructLayout(LayoutKind.Sequential, Pack = 4)] public struct S {{ {Row1Fields} }}", "S", new[] { 0, 4, 8, 12, 20 }, 24, 4),
        new("Facts_Pack16", "[StructLayout(LayoutKind.Sequential, Pack = 16)] public struct S { public byte a; public long d; }", "S", new[] { 0, 8 }, 16, 8),
        new("Facts_Pack128", "[StructLayout(LayoutKind.Sequential, Pack = 128)] public struct S { public byte a; public long d; }", "S", new[] { 0, 8 }, 16, 8),
        new("Facts_Size64", "[StructLayout(LayoutKind.Sequential, Size = 64)] public struct S { public int x; }", "S", new[] { 0 }, 64, 4),
        new("Facts_Size2", "[StructLayout(LayoutKind.Sequential, Size = 2)] public struct S { public int x; }", "S", new[] { 0 }, 4, 4),
        new("Facts_Size13", "[StructLayout(LayoutKind.Sequential, Size = 13)] public struct S { public int x; }", "S", new[] { 0 }, 13, 4),
        new("Facts_LongSize9", "[StructLayout(LayoutKind.Sequential, Size = 9)] public struct S { public long x; }", "S", new[] { 0 }, 9, 8),
        new("Facts_LongSize5", "[StructLayout(LayoutKind.Sequential, Size = 5)] public struct S { public long x; }", "S", new[] { 0 }, 8, 8),
        new("Facts_NestedPack2", $"public struct Seq {{ {Row1Fields} }} [StructLayout(LayoutKind.Sequential, Pack = 2)] public struct S {{ public byte a; public Seq s; }}", "S", new[] { 0, 2 }, 34, 2),
        new("Facts_ExplicitHeadTail", "[StructLayout(LayoutKind.Explicit, Size = 192)] public struct S { [FieldOffset(64)] public int Head; [FieldOffset(128)] public int Tail; }", "S", new[] { 64, 128 }, 192, 4),
        new("Facts_ExplicitVector512", "[StructLayout(LayoutKind.Explicit)] public struct S { [FieldOffset(0)] public byte a; [FieldOffset(8)] public System.Runtime.Intrinsics.Vector512<byte> x; }", "S", new[] { 0, 8 }, 128, 64),
        new("Facts_ExplicitObject", "[StructLayout(LayoutKind.Explicit)] public struct S { [FieldOffset(0)] public byte a; [FieldOffset(8)] public object o; }", "S", new[] { 0, 8 }, 16, 8),
        new("Facts_FixedByte", "public unsafe struct S { public byte a; public fixed byte rx[64]; public byte b; }", "S", new[] { 0, 1, 65 }, 66, 1),
        new("Facts_FixedLong", "public unsafe struct S { public byte a; public fixed long buf[2]; public byte c; }", "S", new[] { 0, 8, 24 }, 32, 8),
        new("Facts_AntiPattern", "public unsafe struct S { public int status; public fixed byte rx[64]; public int count; }", "S", new[] { 0, 4, 68 }, 72, 4),
        new("Facts_HandPadded", "[StructLayout(LayoutKind.Sequential, Size = 192)] public unsafe struct S { public int status; public fixed byte _pad0[60]; public fixed byte rx[64]; public int count; }", "S", new[] { 0, 4, 64, 128 }, 192, 4),
        new("Facts_ExplicitFix", "[StructLayout(LayoutKind.Explicit, Size = 192)] public unsafe struct S { [FieldOffset(0)] public int status; [FieldOffset(64)] public fixed byte rx[64]; [FieldOffset(128)] public int count; }", "S", new[] { 0, 64, 128 }, 192, 4),
        new("Facts_InlineArray3", "public struct E { public int i; public byte b; } [System.Runtime.CompilerServices.InlineArray(3)] public struct S { public E e; }", "S", new[] { 0 }, 24, 4),
        new("Facts_BoolChar", "public struct S { public byte a; public bool b; public char c; public int d; }", "S", new[] { 0, 1, 2, 4 }, 8, 4),
        new("Facts_ObjectIsAuto", "public struct S { public byte a; public object o; public byte b; }", "S", Unknown: true),
        new("Facts_NestedReferenceIsAuto", "public struct R1 { public string s; } public struct S { public byte a; public R1 r; public byte b; }", "S", Unknown: true),
        new("Facts_AutoInsideSequential", "[StructLayout(LayoutKind.Auto)] public struct AutoS { public byte p; public long q; } public struct S { public byte x; public AutoS s; public byte y; }", "S", Unknown: true),
        new("Facts_RecordStruct", "public record struct S(byte A, long B, byte C);", "S", new[] { 0, 8, 16 }, 24, 8),
        new("Facts_Empty", "public struct S { }", "S", new int[0], 1, 1),
        new("Facts_EmptyInside", "public struct Empty { } public struct S { public byte a; public Empty e; public byte b; }", "S", new[] { 0, 1, 2 }, 3, 1),

        // BCL value types (LAYOUT-FACTS §4), each after a byte so its alignment shows.
        Bcl("Decimal", "decimal", 8, 24, 8),
        Bcl("DateTime", "DateTime", 8, 16, 8),
        Bcl("DateTimeOffset", "DateTimeOffset", 8, 24, 8),
        Bcl("TimeSpan", "TimeSpan", 8, 16, 8),
        Bcl("DateOnly", "DateOnly", 4, 8, 4),
        Bcl("TimeOnly", "TimeOnly", 8, 16, 8),
        Bcl("Guid", "Guid", 4, 20, 4),
        Bcl("Half", "Half", 2, 4, 2),
        Bcl("Int128", "Int128", 16, 32, 16),
        Bcl("UInt128", "UInt128", 16, 32, 16),
        Bcl("Vector64", "System.Runtime.Intrinsics.Vector64<byte>", 8, 16, 8),
        Bcl("Vector128", "System.Runtime.Intrinsics.Vector128<int>", 16, 32, 16),
        Bcl("Vector256", "System.Runtime.Intrinsics.Vector256<byte>", 32, 64, 32),
        Bcl("Vector512", "System.Runtime.Intrinsics.Vector512<byte>", 64, 128, 64),
        Bcl("Vector4", "System.Numerics.Vector4", 4, 20, 4),
        Bcl("Vector3", "System.Numerics.Vector3", 4, 16, 4),
        Bcl("Matrix4x4", "System.Numerics.Matrix4x4", 4, 68, 4),
        Bcl("Complex", "System.Numerics.Complex", 8, 24, 8),
        Bcl("NullableInt", "int?", 4, 12, 4),
        Bcl("NullableLong", "long?", 8, 24, 8),
        Bcl("NullableGuid", "Guid?", 4, 24, 4),
        Bcl("KeyValuePair", "System.Collections.Generic.KeyValuePair<int, long>", 8, 24, 8),
        Bcl("Index", "Index", 4, 8, 4),
        Bcl("Range", "Range", 4, 12, 4),
        new("Bcl_VectorT", "public struct S { public byte a; public System.Numerics.Vector<byte> v; }", "S", Unknown: true),
        new("Bcl_ValueTuple", "public struct S { public byte a; public (byte, long) t; }", "S", Unknown: true),
        new("Bcl_NullableWithReferenceIsFine", "public struct S { public int? a; public byte b; }", "S", new[] { 0, 8 }, 12, 4),

        // Scalars: enums, pointers, nint, function pointers, bool and char.
        new("Enums", "public enum B : byte { X } public enum L : long { Y } public enum I { Z } public struct S { public B b; public L l; public I i; public B b2; }", "S", new[] { 0, 8, 16, 20 }, 24, 8),
        new("Pointers", "public unsafe struct S { public byte a; public byte* p; public byte b; public nint n; public nuint u; public delegate*<int, void> f; public void* v; }", "S", new[] { 0, 8, 16, 24, 32, 40, 48 }, 56, 8),
        new("IntPtr", "public struct S { public byte a; public IntPtr p; public UIntPtr q; }", "S", new[] { 0, 8, 16 }, 24, 8),
        new("CharsAndBools", "public struct S { public bool a; public char b; public bool c; public double d; public char e; }", "S", new[] { 0, 2, 4, 8, 16 }, 24, 8),
        new("Floats", "public struct S { public float a; public double b; public float c; public sbyte d; public ushort e; public uint f; public ulong g; }", "S", new[] { 0, 8, 16, 20, 22, 24, 32 }, 40, 8),

        // Fixed buffers of every allowed element type.
        new("FixedChar", "public unsafe struct S { public byte a; public fixed char name[5]; public byte b; }", "S", new[] { 0, 2, 12 }, 14, 2),
        new("FixedBool", "public unsafe struct S { public fixed bool f[3]; public short s; }", "S", new[] { 0, 4 }, 6, 2),
        new("FixedDouble", "public unsafe struct S { public byte a; public fixed double d[3]; }", "S", new[] { 0, 8 }, 32, 8),
        new("FixedMixed", "public unsafe struct S { public fixed sbyte a[3]; public fixed short b[3]; public fixed int c[1]; public fixed uint d[1]; public fixed ushort e[1]; public fixed ulong f[1]; public fixed float g[1]; }", "S", new[] { 0, 4, 12, 16, 20, 24, 32 }, 40, 8),
        new("FixedPack1", "[StructLayout(LayoutKind.Sequential, Pack = 1)] public unsafe struct S { public byte a; public fixed long buf[2]; public byte c; }", "S", new[] { 0, 1, 17 }, 18, 1),

        // Nesting, Pack caps nested structs, generics, nested types of generic types.
        new("NestedDeep", "public struct A { public byte x; public long y; } public struct B { public short s; public A a; } public struct S { public byte z; public B b; public byte w; }", "S", new[] { 0, 8, 32 }, 40, 8),
        new("NestedPackCaps", "public struct A { public byte x; public long y; } [StructLayout(LayoutKind.Sequential, Pack = 4)] public struct S { public byte z; public A a; public byte w; }", "S", new[] { 0, 4, 20 }, 24, 4),
        new("NestedPackedInner", "[StructLayout(LayoutKind.Sequential, Pack = 1)] public struct A { public byte x; public long y; } public struct S { public byte z; public A a; public int w; }", "S", new[] { 0, 1, 12 }, 16, 4),
        new("Generic", "public struct G<T> { public byte a; public T v; } public struct S { public G<long> l; public G<byte> b; public G<G<short>> gg; }", "S", new[] { 0, 16, 18 }, 24, 8),
        new("NestedInGeneric", "public class Outer<T> { public struct Inner { public byte a; public T b; } } public struct S { public byte z; public Outer<int>.Inner i; }", "S", new[] { 0, 4 }, 12, 4),
        new("GenericFixedBuffer", "public unsafe struct Ring<T> where T : unmanaged { public T head; public fixed byte ring[64]; public short tail; } public struct S { public Ring<long> a; public Ring<byte> b; }", "S", new[] { 0, 80 }, 152, 8),
        new("GenericPack", "[StructLayout(LayoutKind.Sequential, Pack = 2)] public struct G<T> { public byte a; public T v; } public struct S { public G<long> l; public byte b; }", "S", new[] { 0, 10 }, 12, 2),

        // Explicit layouts.
        new("ExplicitRounded", "[StructLayout(LayoutKind.Explicit)] public struct S { [FieldOffset(0)] public long a; [FieldOffset(8)] public byte b; }", "S", new[] { 0, 8 }, 16, 8),
        new("ExplicitMisaligned", "[StructLayout(LayoutKind.Explicit)] public struct S { [FieldOffset(1)] public long a; }", "S", new[] { 1 }, 16, 8),
        new("ExplicitOverlap", "[StructLayout(LayoutKind.Explicit)] public struct S { [FieldOffset(0)] public int a; [FieldOffset(2)] public short b; [FieldOffset(0)] public double c; }", "S", new[] { 0, 2, 0 }, 8, 8),
        new("ExplicitPack1", "[StructLayout(LayoutKind.Explicit, Pack = 1)] public struct S { [FieldOffset(0)] public byte a; [FieldOffset(1)] public long b; }", "S", new[] { 0, 1 }, 9, 1),
        new("ExplicitSizeSmall", "[StructLayout(LayoutKind.Explicit, Size = 4)] public struct S { [FieldOffset(0)] public long a; [FieldOffset(6)] public byte b; }", "S", new[] { 0, 6 }, 8, 8),
        new("ExplicitNestedSeq", "public struct A { public byte x; public int y; } [StructLayout(LayoutKind.Explicit)] public struct S { [FieldOffset(3)] public A a; [FieldOffset(20)] public byte b; }", "S", new[] { 3, 20 }, 24, 4),
        new("ExplicitInsideSeq", "[StructLayout(LayoutKind.Explicit, Size = 10)] public struct E { [FieldOffset(0)] public short a; } public struct S { public byte z; public E e; public byte w; }", "S", new[] { 0, 2, 12 }, 14, 2),
        new("SizeNotRoundedTwice", "[StructLayout(LayoutKind.Sequential, Size = 13)] public struct T13 { public int x; } public struct S { public T13 a; public T13 b; }", "S", new[] { 0, 16 }, 32, 4),

        // InlineArray.
        new("InlineArrayBytes", "[System.Runtime.CompilerServices.InlineArray(64)] public struct Buf { private byte _e; } public struct S { public int status; public Buf rx; public int count; }", "S", new[] { 0, 4, 68 }, 72, 4),
        new("InlineArrayLongs", "[System.Runtime.CompilerServices.InlineArray(4)] public struct Buf { private long _e; } public struct S { public byte a; public Buf rx; }", "S", new[] { 0, 8 }, 40, 8),
        new("InlineArrayPack1", "public struct E { public int i; public byte b; } [StructLayout(LayoutKind.Sequential, Pack = 1)] [System.Runtime.CompilerServices.InlineArray(3)] public struct S { public E e; }", "S", new[] { 0 }, 24, 1),
        new("InlineArrayOfSize13", "[StructLayout(LayoutKind.Sequential, Size = 13)] public struct T13 { public int x; } [System.Runtime.CompilerServices.InlineArray(3)] public struct S { public T13 e; }", "S", new[] { 0 }, 48, 4),
        new("InlineArrayOfFixed", "public unsafe struct E { public fixed byte b[3]; } [System.Runtime.CompilerServices.InlineArray(5)] public struct S { public E e; }", "S", new[] { 0 }, 15, 1),

        // Records, properties, readonly and ref structs, statics and constants.
        new("RecordStructBody", "public record struct S(int A, byte B) { public long Extra; public short P { get; set; } }", "S", new[] { 0, 4, 8, 16 }, 24, 8),
        new("RecordStructPack1", "[StructLayout(LayoutKind.Sequential, Pack = 1)] public record struct S(byte A, long B);", "S", new[] { 0, 1 }, 9, 1),
        new("ReadonlyRecordStruct", "public readonly record struct S(short A, double B, short C);", "S", new[] { 0, 8, 16 }, 24, 8),
        new("AutoProperties", "public struct S { public byte a; public long P { get; set; } public byte b; public int Q { get; } }", "S", new[] { 0, 8, 16, 20 }, 24, 8),
        new("StaticsAndConsts", "public struct S { public static long s1; public const int C = 3; public byte a; public static object o; public int b; }", "S", new[] { 0, 4 }, 8, 4),
        new("ReadonlyStruct", "public readonly struct S { public readonly byte a; public readonly long b; }", "S", new[] { 0, 8 }, 16, 8),
        new("RefStruct", "public ref struct S { public byte a; public ref int r; public Span<byte> s; public int b; }", "S", new[] { 0, 8, 16, 32 }, 40, 8, IsRefStruct: true),
        new("PrimaryCtorNotCaptured", "public struct S(int x) { public byte a = (byte)x; public long b = x; }", "S", new[] { 0, 8 }, 16, 8),
        // Source hides the captured parameter's field; metadata shows it, so there the layout is known.
        new("PrimaryCtorCaptured", "public struct S(int x) { public byte a; public int Get() => x; }", "S", Unknown: true, KnownFromMetadata: true),
        new("AutoUnmanaged", "[StructLayout(LayoutKind.Auto)] public struct S { public byte a; public long b; }", "S", Unknown: true),
        new("EnumeratorHoldsReference", "public struct S { public byte a; public System.Collections.Generic.List<int>.Enumerator e; }", "S", Unknown: true),
    };

    public static IEnumerable<object[]> Known => All.Where(r => !r.Unknown).Select(r => new object[] { r.Id });

    public static IEnumerable<object[]> KnownFromMetadataRows => All.Where(r => !r.Unknown || r.KnownFromMetadata).Select(r => new object[] { r.Id });

    public static IEnumerable<object[]> Unknowns => All.Where(r => r.Unknown).Select(r => new object[] { r.Id });

    public static IEnumerable<object[]> WithLiterals => All.Where(r => r.Offsets is not null).Select(r => new object[] { r.Id });

    public static LayoutRow Get(string id) => All.Single(r => r.Id == id);

    /// <summary>The whole table as one compilation unit: one namespace per row, plus an alignment probe per root.</summary>
    public static string Source()
    {
        var text = new System.Text.StringBuilder("using System; using System.Runtime.InteropServices;\n");
        foreach (var row in All)
        {
            text.Append("namespace ").Append(row.Namespace).Append(" {\n").Append(row.Declarations).Append('\n');
            if (!row.IsRefStruct)
            {
                // Where the root lands after one byte is its alignment as a field (under the default Pack).
                text.Append("public struct AlignProbe { public byte pad; public ").Append(row.Root).Append(" value; }\n");
            }

            text.Append("}\n");
        }

        return text.ToString();
    }

    private static LayoutRow Bcl(string name, string type, int offset, int size, int align) =>
        new("Bcl_" + name, $"public struct S {{ public byte a; public {type} v; }}", "S", new[] { 0, offset }, size, align);
}
