using System.Collections.Immutable;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Layout;
using DmaSafe.Analyzers.Rules.BufferSharesCacheLine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Rules;

/// <summary>
/// DMA001: a DMA buffer field must own every cache line it touches. Collects the fields marked [DmaBuffer] and the
/// fields whose storage reaches a DMA sink, then, once the whole compilation has been seen (so a field mapped only
/// ToDevice everywhere is known to be exempt), checks each one's layout and reports it once, on its declaration.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BufferSharesCacheLineAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BufferSharesCacheLine);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeFilter.Flags);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null)
            {
                return;
            }

            var buffers = new BufferFieldCollector(symbols, new StructLayoutEngine(start.Compilation));
            System.Action<IFieldSymbol> addDeclared = buffers.AddDeclared;
            SinkFlowRegistration.RegisterSinkUses(
                start,
                symbols,
                (block, uses) => buffers.AddMappings(block.OwningSymbol, uses),
                tree => DeclaredBufferFields.Find(tree.SemanticModel, symbols.CallNames(tree.CancellationToken), addDeclared, tree.CancellationToken));
            start.RegisterCompilationEndAction(end => buffers.ReportAll(symbols.Generated.Filtering(end.ReportDiagnostic, end.CancellationToken), end.CancellationToken));
        });
    }
}
