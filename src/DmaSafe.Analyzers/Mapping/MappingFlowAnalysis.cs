using System.Collections.Generic;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Mapping;

/// <summary>
/// DMA005's flow analysis over one control-flow graph: a may-analysis of "holds an unchecked mapping result" per
/// variable (union at joins, iterated to a fixed point). An assignment of a MapSingle/MapSg result generates the fact;
/// MappingError(x) (or comparing the MapSg count) kills it; so does any other assignment to the variable. A use
/// (passed on, stored, unmapped; for MapSg also the list's DmaAddress/DmaLength or passing the list) while the fact may
/// hold is reported. A field still unchecked at the exit is reported at the assignment ("stored").
/// </summary>
internal sealed class MappingFlowAnalysis
{
    // Facts are bits of a ulong: a method with more than 64 mapping assignments keeps the first 64.
    private const int MaxFacts = 64;

    private readonly ControlFlowGraph _graph;
    private readonly DmaSymbols _symbols;
    private readonly List<MappingFact> _facts = new();
    private readonly Dictionary<ISymbol, ulong> _factsByVariable = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, ulong> _factsByEntries = new(SymbolEqualityComparer.Default);
    private readonly HashSet<Location> _reportedLocations = new();
    private ulong _reportedFacts;

    private MappingFlowAnalysis(ControlFlowGraph graph, DmaSymbols symbols)
    {
        _graph = graph;
        _symbols = symbols;
    }

    /// <summary>One finding: where, which map call, what happened to its result.</summary>
    public delegate void Report(Location location, MappingFact fact, string what);

    public static void Analyze(ControlFlowGraph graph, DmaSymbols symbols, Report report, int depth = 0)
    {
        new MappingFlowAnalysis(graph, symbols).Run(report);

        // Lambdas and local functions have graphs of their own (depth bounds pathological nesting).
        if (depth > 8)
        {
            return;
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            Analyze(graph.GetLocalFunctionControlFlowGraph(localFunction), symbols, report, depth + 1);
        }

        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var nested in operation.DescendantsAndSelf())
                {
                    if (nested is IFlowAnonymousFunctionOperation lambda)
                    {
                        Analyze(graph.GetAnonymousFunctionControlFlowGraph(lambda), symbols, report, depth + 1);
                    }
                }
            }

            if (block.BranchValue is { } branch)
            {
                foreach (var nested in branch.DescendantsAndSelf())
                {
                    if (nested is IFlowAnonymousFunctionOperation lambda)
                    {
                        Analyze(graph.GetAnonymousFunctionControlFlowGraph(lambda), symbols, report, depth + 1);
                    }
                }
            }
        }
    }

    private void Run(Report report)
    {
        CollectFacts();
        if (_facts.Count == 0)
        {
            return;
        }

        var blocks = _graph.Blocks;
        var entryStates = new ulong[blocks.Length];
        var exitStates = new ulong[blocks.Length];
        var changed = true;
        var rounds = 0;
        while (changed && rounds++ < blocks.Length + 64)
        {
            changed = false;
            foreach (var block in blocks)
            {
                var state = InState(block, exitStates);
                entryStates[block.Ordinal] = state;
                var exit = Transfer(block, state, null);
                if (exit != exitStates[block.Ordinal])
                {
                    exitStates[block.Ordinal] = exit;
                    changed = true;
                }
            }
        }

        foreach (var block in blocks)
        {
            var exit = Transfer(block, entryStates[block.Ordinal], report);
            if (block.Kind == BasicBlockKind.Exit)
            {
                ReportFieldsAtExit(exit, report);
            }
        }
    }

    private static ulong InState(BasicBlock block, ulong[] exitStates)
    {
        ulong state = 0;
        foreach (var predecessor in block.Predecessors)
        {
            state |= exitStates[predecessor.Source.Ordinal];
        }

        // A finally or catch block has no predecessor edges: it may run after any block of its try.
        var region = block.EnclosingRegion;
        if (block.Predecessors.IsEmpty
            && region is { Kind: ControlFlowRegionKind.Finally or ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter }
            && region.FirstBlockOrdinal == block.Ordinal
            && region.EnclosingRegion is { } handlers
            && !handlers.NestedRegions.IsEmpty)
        {
            var tryRegion = handlers.NestedRegions[0];
            for (var ordinal = tryRegion.FirstBlockOrdinal; ordinal <= tryRegion.LastBlockOrdinal && ordinal < exitStates.Length; ordinal++)
            {
                state |= exitStates[ordinal];
            }
        }

        return state;
    }

    private void ReportFieldsAtExit(ulong state, Report report)
    {
        for (var i = 0; i < _facts.Count; i++)
        {
            var bit = 1UL << i;
            if ((state & bit) != 0 && (_reportedFacts & bit) == 0 && _facts[i].Variable is IFieldSymbol field)
            {
                _reportedFacts |= bit;
                var location = _facts[i].Map.Syntax.GetLocation();
                if (_reportedLocations.Add(location))
                {
                    report(location, _facts[i], "stored in field '" + field.Name + "'");
                }
            }
        }
    }

    private void CollectFacts()
    {
        foreach (var block in _graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var node in operation.DescendantsAndSelf())
                {
                    if (_facts.Count < MaxFacts && node is ISimpleAssignmentOperation assignment && AsMapCall(assignment.Value) is { } map
                        && TrackedVariable(assignment.Target) is { } variable)
                    {
                        var isCount = _symbols.IsMapSg(map.TargetMethod);
                        var entries = isCount && map.Arguments.Length > 0 ? TrackedVariable(Unwrap(map.Arguments[0].Value)) : null;
                        var bit = 1UL << _facts.Count;
                        _facts.Add(new MappingFact(variable, map, entries, isCount));
                        _factsByVariable[variable] = (_factsByVariable.TryGetValue(variable, out var bits) ? bits : 0) | bit;
                        if (entries is not null)
                        {
                            _factsByEntries[entries] = (_factsByEntries.TryGetValue(entries, out var entryBits) ? entryBits : 0) | bit;
                        }
                    }
                }
            }
        }
    }

    private ulong Transfer(BasicBlock block, ulong state, Report? report)
    {
        foreach (var operation in block.Operations)
        {
            state = Visit(operation, state, report);
        }

        if (block.BranchValue is { } branch)
        {
            state = Visit(branch, state, report);
        }

        return state;
    }

    private ulong Visit(IOperation operation, ulong state, Report? report)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                state = Visit(assignment.Value, state, report);
                if (TrackedVariable(assignment.Target) is { } target && _factsByVariable.TryGetValue(target, out var targetBits))
                {
                    state &= ~targetBits;
                    if (AsMapCall(assignment.Value) is { } map)
                    {
                        state |= FactOf(map);
                    }
                }
                else
                {
                    state = VisitChildren(assignment.Target, state, report);
                }

                return state;

            case IFlowAnonymousFunctionOperation:
                return state;

            case ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation:
                state = VisitChildren(operation, state, report);
                return Read(operation, state, report);

            default:
                return VisitChildren(operation, state, report);
        }
    }

    private ulong VisitChildren(IOperation operation, ulong state, Report? report)
    {
        foreach (var child in operation.ChildOperations)
        {
            state = Visit(child, state, report);
        }

        return state;
    }

    private ulong Read(IOperation reference, ulong state, Report? report)
    {
        var variable = TrackedVariable(reference);
        if (variable is null)
        {
            return state;
        }

        if (_factsByVariable.TryGetValue(variable, out var bits) && (state & bits) != 0)
        {
            var isCount = _facts[LowestBit(state & bits)].IsCount;
            switch (MappingUse.Classify(reference, _symbols, isCount, out var what))
            {
                case MappingUseKind.Check:
                    return state & ~bits;
                case MappingUseKind.Use:
                    Found(reference, state & bits, what, report);
                    break;
            }
        }

        if (_factsByEntries.TryGetValue(variable, out var entryBits) && (state & entryBits) != 0 && IsEntriesUse(reference, out var entriesWhat))
        {
            Found(reference, state & entryBits, entriesWhat, report);
        }

        return state;
    }

    private void Found(IOperation reference, ulong bits, string what, Report? report)
    {
        if (report is null)
        {
            return;
        }

        var index = LowestBit(bits);
        _reportedFacts |= bits;
        var location = reference.Syntax.GetLocation();
        if (_reportedLocations.Add(location))
        {
            report(location, _facts[index], what);
        }
    }

    /// <summary>A scatter list after MapSg is used when passed to a call or when an entry's DmaAddress/DmaLength is read.</summary>
    private bool IsEntriesUse(IOperation reference, out string what)
    {
        what = string.Empty;
        var current = reference;
        for (var depth = 0; depth < 8 && current.Parent is { } parent; depth++, current = parent)
        {
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation or IArrayElementReferenceOperation:
                case IPropertyReferenceOperation { Property.IsIndexer: true }:
                case IInlineArrayAccessOperation:
                    continue;
                case IFieldReferenceOperation { Field.Name: "DmaAddress" or "DmaLength" } field when IsRead(field):
                    what = "read ('" + field.Syntax + "')";
                    return true;
                case IArgumentOperation { Parent: IInvocationOperation call } when !_symbols.IsMapSg(call.TargetMethod):
                    what = (call.TargetMethod.Name.StartsWith("Unmap", System.StringComparison.Ordinal) ? "unmapped by '" : "passed to '")
                        + MappingUse.DisplayName(call.TargetMethod) + "'";
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsRead(IOperation operation) =>
        !(operation.Parent is ISimpleAssignmentOperation assignment && assignment.Target == operation);

    private ulong FactOf(IInvocationOperation map)
    {
        for (var i = 0; i < _facts.Count; i++)
        {
            if (_facts[i].Map == map)
            {
                return 1UL << i;
            }
        }

        return 0;
    }

    private IInvocationOperation? AsMapCall(IOperation? value)
    {
        var unwrapped = Unwrap(value);
        return unwrapped is IInvocationOperation invocation
            && (_symbols.IsMapSingle(invocation.TargetMethod) || _symbols.IsMapSg(invocation.TargetMethod))
            ? invocation
            : null;
    }

    private static IOperation? Unwrap(IOperation? value)
    {
        while (value is IConversionOperation or IParenthesizedOperation)
        {
            value = value switch
            {
                IConversionOperation conversion => conversion.Operand,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                _ => value,
            };
        }

        return value;
    }

    /// <summary>The local, parameter, or field of this instance (or static) a reference names; null for anything else.</summary>
    private static ISymbol? TrackedVariable(IOperation? reference) => reference switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    private static int LowestBit(ulong bits)
    {
        var index = 0;
        while ((bits & 1) == 0 && index < 63)
        {
            bits >>= 1;
            index++;
        }

        return index;
    }
}
