using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Kmalloc;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>
/// What the access path says about where the root struct starts: nothing (a pointer from elsewhere: only [DmaAligned]
/// can vouch for it), inside a managed object (8-byte aligned at best), or a kmalloc object whose size class decides
/// its alignment (KERNEL-FACTS §2: power-of-two classes are naturally aligned, 96 and 192 are not).
/// </summary>
internal sealed class RootPlacement
{
    private readonly string? _managedOwner;

    private RootPlacement(bool isLineAligned, int objectSize, bool isManagedStorage, string? managedOwner)
    {
        IsLineAligned = isLineAligned;
        ObjectSize = objectSize;
        IsManagedStorage = isManagedStorage;
        _managedOwner = managedOwner;
    }

    /// <summary>The root's base is known to be on a line boundary.</summary>
    public bool IsLineAligned { get; }

    /// <summary>Bytes the root's allocation owns from its base (valid when <see cref="IsLineAligned"/>).</summary>
    public int ObjectSize { get; }

    /// <summary>The root lives in a class instance or static field.</summary>
    public bool IsManagedStorage { get; }

    /// <summary>Nothing known: the pointer came from a parameter, a field, a call.</summary>
    public static RootPlacement Unplaced { get; } = new(false, 0, false, null);

    /// <summary>The root is the storage of a field of a managed object or a static.</summary>
    public static RootPlacement InManagedStorage(ISymbol? field) =>
        new(false, 0, true, field is null ? "a managed object" : $"field '{field.ContainingType?.Name}.{field.Name}'");

    /// <summary>The root is <c>Machine.Kmalloc&lt;T&gt;()</c> or <c>Kmalloc(size, flags)</c>: decide from the class.</summary>
    public static RootPlacement FromKmalloc(DmaSymbols symbols, StructLayoutEngine engine, Flow.KmallocCall? call, int lineSize)
    {
        if (call is null)
        {
            return Unplaced;
        }

        var flags = 0L;
        long? size = null;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is null || argument.Constant is not { HasValue: true, Value: { } constant })
            {
                continue;
            }

            if (symbols.IsGfp(argument.Parameter.Type))
            {
                flags = System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (argument.Parameter.Ordinal == 0 && argument.Parameter.Type.SpecialType is SpecialType.System_UIntPtr or SpecialType.System_UInt64 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64)
            {
                size = System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (call.Method.IsGenericMethod && call.Method.TypeArguments.Length == 1)
        {
            var type = call.Method.TypeArguments[0];
            if (symbols.IsDmaAligned(type))
            {
                flags |= DmaSymbols.GfpDmaAlignedValue;
            }

            var layout = engine.GetLayout(type);
            size = layout.IsKnown ? layout.Size : null;
        }

        if (size is not { } bytes || bytes <= 0 || bytes > int.MaxValue / 2)
        {
            return Unplaced;
        }

        if ((flags & DmaSymbols.GfpDmaAlignedValue) != 0)
        {
            // Gfp.DmaAligned: line-aligned start, size rounded up to whole lines.
            return new RootPlacement(true, (int)LayoutMath.AlignUp(bytes, lineSize), false, null);
        }

        var minAlign = symbols.Options.KmallocMinAlign(call.Syntax.SyntaxTree);
        if (!KmallocSizeClass.TryGet(bytes, minAlign, out var objectSize, out var alignment) || objectSize > int.MaxValue)
        {
            return Unplaced;
        }

        return alignment >= lineSize ? new RootPlacement(true, (int)objectSize, false, null) : Unplaced;
    }

    /// <summary>The sentence DMA001 uses when the base is not known to be line-aligned.</summary>
    public string Problem(string rootName, int lineSize) =>
        IsManagedStorage
            ? $"'{rootName}' is stored in {_managedOwner}, which the runtime aligns to 8 bytes only"
            : $"'{rootName}' is not [DmaAligned], so nothing places it on a {lineSize}-byte boundary";
}
