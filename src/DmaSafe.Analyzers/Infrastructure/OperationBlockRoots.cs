using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// The distinct roots of an operation block's operations (the method or constructor body around a body block, or the
/// block itself), so a block action can walk every operation that per-operation callbacks in the block would have seen,
/// nested lambdas and local functions included, each exactly once.
/// </summary>
internal static class OperationBlockRoots
{
    public static ImmutableArray<IOperation> Of(ImmutableArray<IOperation> blocks)
    {
        IOperation? onlyRoot = null;
        List<IOperation>? roots = null;
        foreach (var block in blocks)
        {
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (onlyRoot is null)
            {
                onlyRoot = root;
            }
            else if (!ReferenceEquals(onlyRoot, root) && (roots ??= new List<IOperation> { onlyRoot }).IndexOf(root) < 0)
            {
                roots.Add(root);
            }
        }

        return roots is not null ? roots.ToImmutableArray()
            : onlyRoot is not null ? ImmutableArray.Create(onlyRoot)
            : ImmutableArray<IOperation>.Empty;
    }
}
