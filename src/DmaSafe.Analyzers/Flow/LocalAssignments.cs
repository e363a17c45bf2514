using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// Which locals of one operation block are written exactly once, and with what: the data flow follows a local only
/// then (<c>var st = machine.Kmalloc&lt;State&gt;()</c>, <c>fixed (byte* p = s.Buffer)</c>, <c>ref var b = ref s.Buffer</c>).
/// Built lazily with one walk over the block.
/// </summary>
internal sealed class LocalAssignments
{
    private readonly ImmutableArray<IOperation> _blocks;
    private Dictionary<ILocalSymbol, IOperation?>? _values;

    public LocalAssignments(ImmutableArray<IOperation> blocks) => _blocks = blocks;

    /// <summary>The one value written to <paramref name="local"/>, or false when it is written zero or several times, or by reference.</summary>
    public bool TryGetSingleValue(ILocalSymbol local, out IOperation value)
    {
        var values = _values ??= Collect(_blocks);
        if (values.TryGetValue(local, out var found) && found is not null)
        {
            value = found;
            return true;
        }

        value = null!;
        return false;
    }

    private static Dictionary<ILocalSymbol, IOperation?> Collect(ImmutableArray<IOperation> blocks)
    {
        var values = new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);

        void Write(ILocalSymbol local, IOperation? value)
        {
            // A second write, or a write the analysis cannot see through, makes the local unknown for good.
            values[local] = values.ContainsKey(local) ? null : value;
        }

        void Poison(ILocalSymbol local) => values[local] = null;

        foreach (var block in blocks)
        {
            if (block is null)
            {
                continue;
            }

            foreach (var operation in block.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when declarator.Initializer is { } initializer:
                        Write(declarator.Symbol, initializer.Value);
                        break;
                    case IVariableDeclaratorOperation declarator when declarator.Parent is IVariableDeclarationOperation { Initializer: { } shared }:
                        Write(declarator.Symbol, shared.Value);
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        Write(target.Local, assignment.IsRef || !target.Local.IsRef ? assignment.Value : null);
                        break;
                    case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target }:
                        Poison(target.Local);
                        break;
                    case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target }:
                        Poison(target.Local);
                        break;
                    case IDeconstructionAssignmentOperation deconstruction:
                        foreach (var written in deconstruction.Target.DescendantsAndSelf())
                        {
                            if (written is ILocalReferenceOperation local)
                            {
                                Poison(local.Local);
                            }
                        }

                        break;
                    case IArgumentOperation { Value: ILocalReferenceOperation byRef } argument
                        when argument.Parameter is { RefKind: RefKind.Ref or RefKind.Out }:
                        Poison(byRef.Local);
                        break;
                    case IDeclarationExpressionOperation declaration:
                        foreach (var declared in declaration.DescendantsAndSelf())
                        {
                            if (declared is ILocalReferenceOperation local)
                            {
                                Poison(local.Local);
                            }
                        }

                        break;
                    case IAddressOfOperation { Reference: ILocalReferenceOperation addressed }
                        when addressed.Local.Type is { } type && Infrastructure.DmaSymbols.IsPointerLike(type):
                        // &p of a pointer local lets anything rewrite p.
                        Poison(addressed.Local);
                        break;
                    case IForEachLoopOperation loop:
                        foreach (var local in loop.Locals)
                        {
                            Poison(local);
                        }

                        break;
                }
            }
        }

        return values;
    }
}
