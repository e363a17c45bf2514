using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// The one way rules subscribe to sink uses: per operation block (a body or initializer, with its lambdas and local
/// functions), the sink calls with their traced arguments, handed to the rule together. Trees are read from text and
/// syntax first: only blocks that may call a sink are bound, and the reading is shared by the rules
/// (<see cref="SharedTrees"/>).
/// </summary>
internal static class SinkFlowRegistration
{
    /// <param name="onTree">Also called once for each tree that is not generated code, before its blocks.</param>
    public static void RegisterSinkUses(
        CompilationStartAnalysisContext context,
        DmaSymbols symbols,
        Action<SinkBlock, ImmutableArray<SinkUse>> onBlock,
        Action<SemanticModelAnalysisContext>? onTree = null)
    {
        // A semantic-model action per tree, not a code-block or operation-block action: see SharedTrees.
        var trees = symbols.Trees;
        trees.AddConsumer();
        context.RegisterSemanticModelAction(model =>
        {
            if (onTree is not null && !model.IsGeneratedCode)
            {
                onTree(model);
            }

            // One reporter per tree: the method group boxes the context and makes a delegate each time it is read.
            Action<Diagnostic>? report = null;
            foreach (var block in trees.Get(model))
            {
                var uses = block.SinkUses;
                if (!uses.IsEmpty)
                {
                    onBlock(new SinkBlock(block.OwningSymbol, report ??= model.ReportDiagnostic, symbols.Generated, model.CancellationToken), uses);
                }
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
