using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// The operation roots (a method or constructor body, an initializer) that hold some of a code block's syntax nodes:
/// the trees an operation-block action would have been given, bound only for the bodies that need them. Each root is
/// returned once, with every operation under it, lambdas and local functions included.
/// </summary>
internal static class CodeBlockRoots
{
    public static ImmutableArray<IOperation> Of(SemanticModel model, IReadOnlyList<SyntaxNode> nodes, CancellationToken cancellation)
    {
        var roots = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var node in nodes)
        {
            if (IsInside(node, roots))
            {
                continue;
            }

            // Binding the node binds the body around it (the semantic model keeps it for the other analyzers and the
            // driver); the root is where the parent chain ends.
            if (model.GetOperation(node, cancellation) is not { } operation)
            {
                continue;
            }

            var root = operation;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (!roots.Contains(root))
            {
                roots.Add(root);
            }
        }

        return roots.ToImmutable();
    }

    private static bool IsInside(SyntaxNode node, ImmutableArray<IOperation>.Builder roots)
    {
        foreach (var root in roots)
        {
            if (root.Syntax.SyntaxTree == node.SyntaxTree && root.Syntax.Span.Contains(node.Span))
            {
                return true;
            }
        }

        return false;
    }
}
