using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// The one way rules subscribe to sink uses: per code block (a method, accessor, constructor, initializer, with its
/// lambdas and local functions), the sink calls with their traced arguments, handed to the rule together. A block is
/// read from syntax first (<see cref="CodeBlockScan"/>): only blocks that may call a sink are bound, and the reading is
/// shared by the rules (<see cref="SharedCodeBlocks"/>).
/// </summary>
internal static class SinkFlowRegistration
{
    public static void RegisterSinkUses(
        CompilationStartAnalysisContext context,
        DmaSymbols symbols,
        Action<CodeBlockAnalysisContext, ImmutableArray<SinkUse>> onBlock)
    {
        // A code-block action, not an operation-block action: the driver then builds no operation tree for the blocks
        // that call no sink (most of a driver project), and the few that do are bound through the shared semantic model.
        var blocks = symbols.CodeBlocks;
        blocks.AddConsumer();
        context.RegisterCodeBlockAction(block =>
        {
            var uses = blocks.Get(block).SinkUses;
            if (!uses.IsEmpty)
            {
                onBlock(block, uses);
            }
        });
    }

    /// <summary>The sink uses of every sink call under <paramref name="roots"/>.</summary>
    public static ImmutableArray<SinkUse> CollectUses(ImmutableArray<IOperation> roots, DmaSymbols symbols)
    {
        List<IOperation>? found = null;
        foreach (var root in roots)
        {
            Collect(root, symbols, ref found);
        }

        if (found is null)
        {
            return ImmutableArray<SinkUse>.Empty;
        }

        var flow = new SinkFlowAnalysis(symbols, roots);
        var uses = ImmutableArray.CreateBuilder<SinkUse>();
        foreach (var call in found)
        {
            uses.AddRange(flow.SinkUsesOf(call));
        }

        return uses.ToImmutable();
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
