namespace DmaSafe.Analyzers.Layout;

/// <summary>Facts about the machine the laid-out structs run on (64-bit CoreCLR, x64 measurements).</summary>
internal static class TargetFacts
{
    /// <summary>
    /// Pointers, nint/nuint, function pointers, object references and ref fields. We assume a 64-bit target:
    /// the analyzer host's own IntPtr.Size says nothing about the program being compiled.
    /// </summary>
    public const int PointerSize = 8;

    /// <summary>CoreCLR's default packing: Pack = 0 lets a field reach this alignment (Vector512 gets 64).</summary>
    public const int DefaultPacking = 64;

    /// <summary>The largest Pack value the runtime accepts; anything else (other than powers of two below it) fails to load.</summary>
    public const int MaxPack = 128;

    /// <summary>Whether <paramref name="pack"/> is a value the compiler and runtime accept (0 or a power of two up to 128).</summary>
    public static bool IsValidPack(int pack) => pack == 0 || (pack > 0 && pack <= MaxPack && (pack & (pack - 1)) == 0);
}
