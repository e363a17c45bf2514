using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Tests.CodeFixes.Contract;

/// <summary>
/// Descriptors for the contract analyzers: the real IDs, a plain message. The fixer tests only depend on where a
/// diagnostic sits and on its Properties, which is what issue 4 fixes for every rule.
/// </summary>
internal static class ContractDescriptors
{
    public static readonly DiagnosticDescriptor Dma001 = Create(DiagnosticIds.BufferSharesCacheLine);
    public static readonly DiagnosticDescriptor Dma002 = Create(DiagnosticIds.KmallocNotLineAligned);
    public static readonly DiagnosticDescriptor Dma004 = Create(DiagnosticIds.BounceHotSpot);
    public static readonly DiagnosticDescriptor Dma005 = Create(DiagnosticIds.UncheckedMapping);
    public static readonly DiagnosticDescriptor Dma006 = Create(DiagnosticIds.UnmarkedSinkParameter);

    private static DiagnosticDescriptor Create(string id) =>
        new(id, id, id + ": {0}", "DmaSafe.Tests", DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
