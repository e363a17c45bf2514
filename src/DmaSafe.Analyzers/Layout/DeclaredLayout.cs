namespace DmaSafe.Analyzers.Layout;

/// <summary>The layout kind a type declares (the <c>StructLayoutAttribute</c> pseudo-attribute, wherever it is stored).</summary>
internal enum DeclaredLayoutKind
{
    /// <summary><c>LayoutKind.Sequential</c> (what C# emits for every struct by default).</summary>
    Sequential,

    /// <summary><c>LayoutKind.Explicit</c>.</summary>
    Explicit,

    /// <summary><c>LayoutKind.Auto</c> (classes by default): the runtime reorders fields.</summary>
    Auto,

    /// <summary>A layout kind this engine does not model (e.g. .NET 11's ExtendedLayout) or an invalid value.</summary>
    Other,
}

/// <summary>What a type declares about its layout: kind, Pack and Size.</summary>
internal readonly struct DeclaredLayout
{
    public DeclaredLayout(DeclaredLayoutKind kind, int pack, int size)
    {
        Kind = kind;
        Pack = pack;
        Size = size;
    }

    /// <summary>The declared layout kind.</summary>
    public DeclaredLayoutKind Kind { get; }

    /// <summary>Declared Pack (0 = default packing).</summary>
    public int Pack { get; }

    /// <summary>Declared Size (0 = none).</summary>
    public int Size { get; }
}
