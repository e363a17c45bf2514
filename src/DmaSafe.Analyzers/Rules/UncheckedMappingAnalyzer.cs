using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Mapping;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeFilter.Flags);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null || symbols.Devices.IsEmpty)
            {
                return;
            }

            // A per-tree action read from text and syntax first: only blocks with a call named MapSingle or MapSg are
            // bound (shared with the sink rules; see SharedTrees).
            var trees = symbols.Trees;
            trees.AddConsumer();
            start.RegisterSemanticModelAction(model =>
            {
                foreach (var block in trees.Get(model))
                {
                    // A block syntax decided has every map result checked by the next statement: nothing to report.
                    if (block.HasMapCall && block.Root is { } root)
                    {
                        AnalyzeBlock(symbols.Generated.Filtering(model.ReportDiagnostic, model.CancellationToken), root, model.CancellationToken, symbols);
                    }
                }
            });
        });
    }

    // Internal for the benchmark's per-phase timing (bench/DmaSafe.Benchmarks/Analyzers/WarmProfile.cs).
    internal static void AnalyzeBlock(System.Action<Diagnostic> report, IOperation root, System.Threading.CancellationToken cancellation, DmaSymbols symbols)
    {
        var needsFlow = false;
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation invocation
                && (symbols.IsMapSingle(invocation.TargetMethod) || symbols.IsMapSg(invocation.TargetMethod)))
            {
                AnalyzeDirectUse(report, invocation, symbols);
                needsFlow |= !CheckedByTheNextStatement(invocation, symbols);
            }
        }

        // Building a control-flow graph is the expensive part: skip it when every mapping in the block is used directly
        // or checked by the statement right after it (the common, correct idiom).
        if (!needsFlow)
        {
            return;
        }

        // Bodies have graphs (initializers are judged by their direct uses only, as before).
        var graph = root switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellation),
            IConstructorBodyOperation body => ControlFlowGraph.Create(body, cancellation),
            IBlockOperation body => ControlFlowGraph.Create(body, cancellation),
            _ => null,
        };
        if (graph is null)
        {
            return;
        }

        MappingFlowAnalysis.Analyze(graph, symbols, (location, fact, what) =>
            report(Diagnostic.Create(
                Descriptors.UncheckedMapping,
                location,
                ImmutableArray.Create(fact.Map.Syntax.GetLocation()),
                MappingUse.DisplayName(fact.Map.TargetMethod),
                what,
                fact.CheckName)));
    }

    /// <summary>
    /// The fast path: the result goes into a variable whose very next statement is an <c>if</c> that checks it first
    /// (<c>if (dev.MappingError(a))</c>, <c>if (!dev.MappingError(a))</c>, <c>if (n == 0)</c>), so every path after the
    /// assignment has seen the check and no use comes before it.
    /// </summary>
    private static bool CheckedByTheNextStatement(IInvocationOperation map, DmaSymbols symbols)
    {
        IOperation current = map;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        ISymbol? variable;
        IOperation? statement;
        switch (current.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                variable = declarator.Symbol;
                statement = declarator.Parent?.Parent is IVariableDeclarationGroupOperation group && group.Declarations.Length == 1
                    && group.Declarations[0].Declarators.Length == 1
                    ? group
                    : null;
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local, Parent: IExpressionStatementOperation expression }:
                variable = local.Local;
                statement = expression;
                break;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field, Parent: IExpressionStatementOperation expression }:
                variable = field.Field;
                statement = expression;
                break;
            default:
                // A direct use (judged on the spot) needs no flow analysis either; anything else does.
                return current.Parent is not (ISimpleAssignmentOperation or IVariableInitializerOperation);
        }

        if (statement?.Parent is not IBlockOperation block)
        {
            return false;
        }

        var index = block.Operations.IndexOf(statement);
        if (index < 0 || index + 1 >= block.Operations.Length || block.Operations[index + 1] is not IConditionalOperation { Condition: { } condition })
        {
            return false;
        }

        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } or IParenthesizedOperation)
        {
            condition = condition switch
            {
                IUnaryOperation unary => unary.Operand,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                _ => condition,
            };
        }

        return symbols.IsMapSg(map.TargetMethod)
            ? condition is IBinaryOperation binary && (Names(binary.LeftOperand, variable) || Names(binary.RightOperand, variable))
            : condition is IInvocationOperation check && symbols.IsMappingError(check.TargetMethod)
                && check.Arguments.Length == 1 && Names(check.Arguments[0].Value, variable);
    }

    private static bool Names(IOperation? operation, ISymbol variable)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => SymbolEqualityComparer.Default.Equals(field.Field, variable),
            _ => false,
        };
    }

    /// <summary>The call's value used where it stands (not through a variable): judged at once.</summary>
    private static void AnalyzeDirectUse(System.Action<Diagnostic> report, IInvocationOperation map, DmaSymbols symbols)
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
                report(Diagnostic.Create(Descriptors.UncheckedMapping, top.Syntax.GetLocation(), name, "discarded", checkName));
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
            report(Diagnostic.Create(Descriptors.UncheckedMapping, top.Syntax.GetLocation(), name, what, checkName));
        }
    }
}
