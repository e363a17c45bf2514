using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>
/// What a <c>Machine.Kmalloc&lt;T&gt;()</c> or <c>Kmalloc(size, flags)</c> call asks for, read when the mapping is
/// noted (from whichever path traced it), so DMA001 keeps these few facts until compilation end, not the call.
/// </summary>
internal sealed class KmallocRequest
{
    private KmallocRequest(long? size, long flags, ITypeSymbol? allocatedType, int minAlign)
    {
        Size = size;
        Flags = flags;
        AllocatedType = allocatedType;
        MinAlign = minAlign;
    }

    /// <summary>The constant size argument, or null (for <c>Kmalloc&lt;T&gt;</c> the size is T's layout).</summary>
    public long? Size { get; }

    /// <summary>The constant Gfp flags (0 when absent or not constant); DmaAligned is set for a [DmaAligned] T.</summary>
    public long Flags { get; }

    /// <summary>T of <c>Kmalloc&lt;T&gt;</c>, whose layout gives the size; null for a sized call.</summary>
    public ITypeSymbol? AllocatedType { get; }

    /// <summary>dmasafe.kmalloc_minalign where the call is.</summary>
    public int MinAlign { get; }

    /// <summary>The request of <paramref name="call"/> (from either tracing path), or null when the root is not a kmalloc call.</summary>
    public static KmallocRequest? Read(DmaSymbols symbols, KmallocCall? call)
    {
        if (call is null)
        {
            return null;
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

        ITypeSymbol? allocatedType = null;
        if (call.Method.IsGenericMethod && call.Method.TypeArguments.Length == 1)
        {
            allocatedType = call.Method.TypeArguments[0];
            if (symbols.IsDmaAligned(allocatedType))
            {
                flags |= DmaSymbols.GfpDmaAlignedValue;
            }
        }

        return new KmallocRequest(size, flags, allocatedType, symbols.Options.KmallocMinAlign(call.Syntax.SyntaxTree));
    }
}
