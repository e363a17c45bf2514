using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Mapping;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Rules;

/// <summary>
/// DMA005: a MapSingle address or MapSg result is used (passed to the device or any call, stored, unmapped) on a path
/// where it was not checked: MappingError for an address, a comparison of the count for MapSg. Direct uses of the call's
/// value are judged where they stand; values kept in a local or field go through <see cref="MappingFlowAnalysis"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedMappingAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UncheckedMapping);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null || symbols.Devices.IsEmpty)
            {
                return;
            }

            start.RegisterOperationBlockStartAction(block =>
            {
                var sawMap = 0;
                block.RegisterOperationAction(
                    operation =>
                    {
                        var invocation = (IInvocationOperation)operation.Operation;
                        if (symbols.IsMapSingle(invocation.TargetMethod) || symbols.IsMapSg(invocation.TargetMethod))
                        {
                            Interlocked.Exchange(ref sawMap, 1);
                            AnalyzeDirectUse(operation, invocation, symbols);
                        }
                    },
                    OperationKind.Invocation);

                block.RegisterOperationBlockEndAction(end =>
                {
                    if (Volatile.Read(ref sawMap) == 0)
                    {
                        return;
                    }

                    var analyzed = new System.Collections.Generic.HashSet<IOperation>();
                    foreach (var root in end.OperationBlocks)
                    {
                        // The graph belongs to the block's root (the method body around a body block); analyze each root once.
                        if (root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
                            && end.GetControlFlowGraph(root) is { } graph
                            && analyzed.Add(graph.OriginalOperation))
                        {
                            MappingFlowAnalysis.Analyze(graph, symbols, (location, fact, what) =>
                                end.ReportDiagnostic(Diagnostic.Create(
                                    Descriptors.UncheckedMapping,
                                    location,
                                    ImmutableArray.Create(fact.Map.Syntax.GetLocation()),
                                    MappingUse.DisplayName(fact.Map.TargetMethod),
                                    what,
                                    fact.CheckName)));
                        }
                    }
                });
            });
        });
    }

    /// <summary>The call's value used where it stands (not through a variable): judged at once.</summary>
    private static void AnalyzeDirectUse(OperationAnalysisContext context, IInvocationOperation map, DmaSymbols symbols)
    {
        var isCount = symbols.IsMapSg(map.TargetMethod);
        var name = MappingUse.DisplayName(map.TargetMethod);
        var checkName = isCount ? "the segment count" : "MappingError";
        var top = map;
        IOperation current = map;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        switch (current.Parent)
        {
            case IExpressionStatementOperation when isCount:
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.UncheckedMapping, top.Syntax.GetLocation(), name, "discarded", checkName));
                return;
            case IExpressionStatementOperation:
            case IVariableInitializerOperation:
            case IReturnOperation:
                return;
            case ISimpleAssignmentOperation assignment when assignment.Value == current
                && assignment.Target is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation }:
                // Kept in a variable: the flow analysis follows it.
                return;
        }

        if (MappingUse.Classify(map, symbols, isCount, out var what) == MappingUseKind.Use)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UncheckedMapping, top.Syntax.GetLocation(), name, what, checkName));
        }
    }
}
