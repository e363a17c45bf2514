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
        foreach (var node in root.DescendantNodes())
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
                    mayBeSink = names.HasConstructorSinks && baseCall.ArgumentList.Arguments.Count > 0;
                    break;
                case LocalFunctionStatementSyntax localFunction:
                    // A local [DmaBuffer] helper is a sink for the calls around it, whatever its name.
                    mayBeSink = SinkCallNames.HasAttributedParameter(localFunction.ParameterList);
                    break;
                default:
                    continue;
            }

            if (mayBeSink || isMap)
            {
                candidates.Add(new Candidate(node, mayBeSink, isMap));
            }
        }

        return candidates;
    }
}
