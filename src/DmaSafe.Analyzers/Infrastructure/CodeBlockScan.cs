using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// Reads a syntax tree for the calls that may reach a DMA sink or map for DMA, without binding anything: most code of a
/// driver project calls neither, and for it nothing is bound on DmaSafe's account.
/// </summary>
internal static class CodeBlockScan
{
    /// <summary>One call (or local [DmaBuffer] helper) worth binding, and what it may be.</summary>
    public readonly struct Candidate
    {
        public Candidate(SyntaxNode node, bool mayBeSink, bool isMap)
        {
            Node = node;
            MayBeSink = mayBeSink;
            IsMap = isMap;
        }

        public SyntaxNode Node { get; }

        /// <summary>The call may pass memory to a sink.</summary>
        public bool MayBeSink { get; }

        /// <summary>The call is named MapSingle or MapSg.</summary>
        public bool IsMap { get; }
    }

    /// <summary>The candidates under <paramref name="root"/>, in source order; empty when none.</summary>
    public static List<Candidate> Of(SyntaxNode root, SinkCallNames names)
    {
        var candidates = new List<Candidate>();
        var positions = names.NamePositions(root.SyntaxTree.GetText().ToString());
        if (positions is null)
        {
            foreach (var node in root.DescendantNodes())
            {
                AddIfCandidate(node, names, candidates);
            }

            return candidates;
        }

        // Every candidate spells, inside its own span, a name (or keyword call) the text was searched for: the nodes
        // around those places are all that can be one, found from the token at each place instead of walking every
        // node of the tree.
        HashSet<SyntaxNode>? seen = null;
        foreach (var position in positions)
        {
            if (!root.Span.Contains(position))
            {
                continue;
            }

            for (var node = root.FindToken(position).Parent; node is not null && node != root; node = node.Parent)
            {
                // A local helper is a sink only through a [DmaBuffer] parameter, whose attribute spells a searched name.
                if (node is LocalFunctionStatementSyntax { ParameterList: var parameters } && !HasPositionIn(positions, parameters.Span))
                {
                    continue;
                }

                if (AddIfCandidate(node, names, candidates) && !(seen ??= new HashSet<SyntaxNode>()).Add(node))
                {
                    // Found from an earlier place: so was everything around it.
                    candidates.RemoveAt(candidates.Count - 1);
                    break;
                }

                if (node is MemberDeclarationSyntax)
                {
                    // No call of a member's code lies around its declaration.
                    break;
                }
            }
        }

        // Source order, as a walk of the tree meets them: by start, an enclosing node before the nodes inside it.
        candidates.Sort(static (a, b) => a.Node.SpanStart != b.Node.SpanStart
            ? a.Node.SpanStart.CompareTo(b.Node.SpanStart)
            : b.Node.Span.Length.CompareTo(a.Node.Span.Length));
        return candidates;
    }

    /// <summary>Adds <paramref name="node"/> to <paramref name="candidates"/> when it is one; true when added.</summary>
    internal static bool AddIfCandidate(SyntaxNode node, SinkCallNames names, List<Candidate> candidates)
    {
        bool mayBeSink;
        var isMap = false;
        switch (node)
        {
            case InvocationExpressionSyntax invocation:
                var name = SyntaxNames.InvokedName(invocation.Expression);
                isMap = name is "MapSingle" or "MapSg";
                mayBeSink = names.DelegatesMaySink || (name is not null && names.IsMethodName(name));
                break;
            case ObjectCreationExpressionSyntax creation:
                mayBeSink = SyntaxNames.RightmostName(creation.Type) is { } typeName && names.IsConstructorTypeName(typeName);
                break;
            case ImplicitObjectCreationExpressionSyntax implicitCreation:
                // The type is the target's: unknown until bound. A sink constructor takes at least the buffer.
                mayBeSink = names.HasConstructorSinks && implicitCreation.ArgumentList.Arguments.Count > 0;
                break;
            case ConstructorInitializerSyntax initializer:
                mayBeSink = names.HasConstructorSinks && initializer.ArgumentList.Arguments.Count > 0;
                break;
            case PrimaryConstructorBaseTypeSyntax baseCall:
                // Unlike base(...), a primary constructor's base call names the type whose constructor it calls.
                mayBeSink = SyntaxNames.RightmostName(baseCall.Type) is { } baseName && names.IsConstructorTypeName(baseName)
                    && baseCall.ArgumentList.Arguments.Count > 0;
                break;
            case LocalFunctionStatementSyntax localFunction:
                // A local [DmaBuffer] helper is a sink for the calls around it, whatever its name.
                mayBeSink = SinkCallNames.HasAttributedParameter(localFunction.ParameterList);
                break;
            default:
                return false;
        }

        if (!mayBeSink && !isMap)
        {
            return false;
        }

        candidates.Add(new Candidate(node, mayBeSink, isMap));
        return true;
    }

    /// <summary>True when a position of the sorted <paramref name="positions"/> lies in <paramref name="span"/>.</summary>
    public static bool HasPositionIn(List<int> positions, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var index = positions.BinarySearch(span.Start);
        if (index < 0)
        {
            index = ~index;
        }

        return index < positions.Count && positions[index] < span.End;
    }

}
