using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// The one way rules subscribe to sink uses: per operation block (a method, accessor, lambda-containing body), collect
/// the sink calls, then hand them all, with the block's <see cref="SinkFlowAnalysis"/>, to the rule at block end.
/// Nothing is traced for blocks without a sink call.
/// </summary>
internal static class SinkFlowRegistration
{
    public static void RegisterSinkUses(
        CompilationStartAnalysisContext context,
        DmaSymbols symbols,
        Action<OperationBlockAnalysisContext, SinkFlowAnalysis, ImmutableArray<SinkUse>> onBlock)
    {
        // One block action that walks the block itself, rather than a block-start action with per-operation callbacks:
        // most blocks hold no sink call, and the start/operation/end scopes (a list, closures and driver bookkeeping per
        // block) were paid for every method of the compilation.
        context.RegisterOperationBlockAction(block =>
        {
            var found = FindSinkCalls(block.OperationBlocks, symbols);
            if (found is null)
            {
                return;
            }

            var flow = new SinkFlowAnalysis(symbols, block.OperationBlocks);
            var uses = ImmutableArray.CreateBuilder<SinkUse>();
            foreach (var call in found)
            {
                uses.AddRange(flow.SinkUsesOf(call));
            }

            if (uses.Count > 0)
            {
                onBlock(block, flow, uses.ToImmutable());
            }
        });
    }

    /// <summary>The invocations and object creations in the blocks whose target takes a sink argument, or null when none.</summary>
    private static List<IOperation>? FindSinkCalls(ImmutableArray<IOperation> blocks, DmaSymbols symbols)
    {
        List<IOperation>? found = null;
        foreach (var root in OperationBlockRoots.Of(blocks))
        {
            Collect(root, symbols, ref found);
        }

        return found;
    }

    private static void Collect(IOperation root, DmaSymbols symbols, ref List<IOperation>? found)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            var method = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            if (method is not null && !symbols.SinkParameterOrdinals(method).IsEmpty)
            {
                (found ??= new List<IOperation>()).Add(operation);
            }
        }
    }
}
