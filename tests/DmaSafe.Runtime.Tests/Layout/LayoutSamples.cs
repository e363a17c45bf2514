using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DmaSafe.Runtime.Tests.Layout;

// Structs with known layouts (LAYOUT-FACTS.md §3 and §8), measured by the tests against their own field addresses.
#pragma warning disable SA1201, SA1649 // samples side by side

/// <summary>The anti-pattern of LAYOUT-FACTS §8: a DMA buffer between two CPU fields.</summary>
public unsafe struct Dev
{
    public int Status;
    public fixed byte Rx[128];
    public int Count;
}

/// <summary>The same, with the buffer marked.</summary>
public unsafe struct MarkedDev
{
    public int Status;
    [DmaBuffer]
    public fixed byte Rx[128];
    public int Count;
}

/// <summary>The fix: the buffer owns line 1, the struct is line-aligned and a whole number of lines.</summary>
[DmaAligned]
[StructLayout(LayoutKind.Explicit, Size = 256)]
public unsafe struct AlignedDev
{
    [FieldOffset(0)]
    public int Status;
    [FieldOffset(4)]
    public int Count;
    [DmaBuffer]
    [FieldOffset(128)]
    public fixed byte Rx[128];
}

public struct Row
{
    public byte A;
    public int B;
    public byte C;
    public long D;
    public short E;
}

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct PackedRow
{
    public byte A;
    public int B;
    public byte C;
    public long D;
    public short E;
}

public struct Small
{
    public byte A;
    public bool B;
    public char C;
    public int D;
}

[StructLayout(LayoutKind.Explicit, Size = 192)]
public struct HeadTail
{
    [FieldOffset(64)]
    public int Head;
    [FieldOffset(128)]
    public int Tail;
}

public record struct Positional(byte A, long B, byte C);

[InlineArray(3)]
public struct ThreeInts
{
    public int Element;
}

public enum Mode : short
{
    Idle,
    Busy,
}

public unsafe struct Mixed
{
    public Mode Mode;
    public nint Handle;
    public byte* Cursor;
    public Small Inner;
    public ThreeInts Counts;
    public System.ValueTuple<int, long> Pair;
    public fixed long Words[2];
}

/// <summary>A buffer that spans whole lines exactly, so the next field starts on a boundary.</summary>
public unsafe struct Exact
{
    [DmaBuffer]
    public fixed long Words[16];
    public int After;
}
#pragma warning restore SA1201, SA1649
