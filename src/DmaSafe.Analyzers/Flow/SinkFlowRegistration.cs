using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

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
        context.RegisterOperationBlockStartAction(start =>
        {
            var calls = new List<IOperation>();
            start.RegisterOperationAction(
                operation =>
                {
                    var method = operation.Operation switch
                    {
                        Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation => invocation.TargetMethod,
                        Microsoft.CodeAnalysis.Operations.IObjectCreationOperation creation => creation.Constructor,
                        _ => null,
                    };
                    if (method is not null && !symbols.SinkParameterOrdinals(method).IsEmpty)
                    {
                        lock (calls)
                        {
                            calls.Add(operation.Operation);
                        }
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation);

            start.RegisterOperationBlockEndAction(end =>
            {
                IOperation[] found;
                lock (calls)
                {
                    found = calls.ToArray();
                }

                if (found.Length == 0)
                {
                    return;
                }

                var flow = new SinkFlowAnalysis(symbols, end.OperationBlocks);
                var uses = ImmutableArray.CreateBuilder<SinkUse>();
                foreach (var call in found)
                {
                    uses.AddRange(flow.SinkUsesOf(call));
                }

                if (uses.Count > 0)
                {
                    onBlock(end, flow, uses.ToImmutable());
                }
            });
        });
    }
}
