using System.Collections.Generic;
using System.Collections.Immutable;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Rules;

/// <summary>
/// DMA006: a parameter whose value (possibly cast or offset) reaches a DMA sink, without [DmaBuffer]. Marking it makes
/// the method a sink, so the analysis checks what each caller passes. Paths through a field of the parameter
/// (<c>st-&gt;Rx</c>) are DMA001's business (the field is the buffer), so only the parameter itself counts.
/// Reported once per parameter, at its declaration.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnmarkedSinkParameterAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnmarkedSinkParameter);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeFilter.Flags);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null || symbols.DmaBufferAttributes.IsEmpty)
            {
                // Without the attribute there is nothing to suggest.
                return;
            }

            SinkFlowRegistration.RegisterSinkUses(start, symbols, (context, uses) =>
            {
                // Made only for a block that has something to suggest: most blocks map fields or kmalloc'd memory.
                HashSet<IParameterSymbol>? reported = null;
                foreach (var use in uses)
                {
                    if (use.Path is { RootKind: AccessRootKind.Parameter, RootSymbol: IParameterSymbol parameter, Fields.IsEmpty: true }
                        && ShouldSuggest(parameter, symbols)
                        && (reported ??= new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default)).Add(parameter))
                    {
                        foreach (var location in parameter.Locations)
                        {
                            if (location.IsInSource)
                            {
                                context.ReportDiagnostic(Diagnostic.Create(
                                    Descriptors.UnmarkedSinkParameter,
                                    location,
                                    parameter.Name,
                                    use.SinkDisplayName));
                                break;
                            }
                        }
                    }
                }
            });
        });
    }

    private static bool ShouldSuggest(IParameterSymbol parameter, DmaSymbols symbols)
    {
        if (symbols.IsDmaBuffer(parameter) || parameter.IsThis)
        {
            return false;
        }

        // Lambda parameters have no callers to check; configured sinks are sinks already.
        return parameter.ContainingSymbol is IMethodSymbol method
            && method.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LambdaMethod)
            && !symbols.IsConfiguredSink(method)
            && DmaSymbols.IsPointerLike(parameter);
    }
}
