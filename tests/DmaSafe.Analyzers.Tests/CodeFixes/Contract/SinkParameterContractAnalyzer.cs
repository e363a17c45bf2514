using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Tests.CodeFixes.Contract;

/// <summary>
/// DMA006 where issue 4 puts it: on the declaration of a parameter passed straight (through conversions) to a
/// [DmaBuffer] parameter of a sink, when it is not [DmaBuffer] itself.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SinkParameterContractAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDescriptors.Dma006);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (DmaSymbols.TryCreate(start.Compilation, start.Options) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    var argument = (IArgumentOperation)operation.Operation;
                    var value = argument.Value;
                    while (value is IConversionOperation conversion)
                    {
                        value = conversion.Operand;
                    }

                    if (argument.Parameter is { } sink && symbols.IsDmaBuffer(sink)
                        && value is IParameterReferenceOperation { Parameter: var parameter }
                        && !symbols.IsDmaBuffer(parameter)
                        && parameter.Locations.Length > 0 && parameter.Locations[0].IsInSource)
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(ContractDescriptors.Dma006, parameter.Locations[0], parameter.Name));
                    }
                },
                OperationKind.Argument);
        });
    }
}
