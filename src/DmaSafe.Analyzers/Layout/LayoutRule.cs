namespace DmaSafe.Analyzers.Layout;

/// <summary>Which rule produced a <see cref="TypeLayout"/>.</summary>
internal enum LayoutRule
{
    /// <summary>The layout could not be determined; see <see cref="TypeLayout.UnknownReason"/>.</summary>
    Unknown,

    /// <summary>A primitive (bool, char, integers, floating point) with its natural size and alignment.</summary>
    Primitive,

    /// <summary>An enum: laid out as its underlying type.</summary>
    Enum,

    /// <summary>A pointer, function pointer, nint or nuint.</summary>
    Pointer,

    /// <summary>A GC reference (class, interface, array, string, delegate, ref field).</summary>
    Reference,

    /// <summary>A runtime type whose size comes from the measured table (decimal, Guid, Int128, Vector128, ...).</summary>
    KnownType,

    /// <summary><c>LayoutKind.Sequential</c>: declaration order, each field aligned to min(natural, Pack).</summary>
    Sequential,

    /// <summary><c>LayoutKind.Explicit</c>: each field at its <c>[FieldOffset]</c>.</summary>
    Explicit,

    /// <summary><c>[InlineArray(n)]</c>: n copies of its single field.</summary>
    InlineArray,
}
