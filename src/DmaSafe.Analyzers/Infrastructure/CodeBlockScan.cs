using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// Reads one code block's syntax (a member declaration with its bodies, initializers, lambdas and local functions) for
/// the calls that may reach a DMA sink or map for DMA, without binding anything: most blocks of a driver project call
/// neither, and for them nothing is bound on DmaSafe's account. Nested members (accessors of a property, the members of
/// a type whose primary constructor is the block) are blocks of their own and are not entered.
/// </summary>
internal sealed class CodeBlockScan
{
    public static readonly CodeBlockScan Nothing = new(null, hasSinkCall: false, hasMapCall: false);

    private CodeBlockScan(List<SyntaxNode>? candidates, bool hasSinkCall, bool hasMapCall)
    {
        Candidates = candidates;
        HasSinkCall = hasSinkCall;
        HasMapCall = hasMapCall;
    }

    /// <summary>The nodes that may be sink or map calls (null when none); binding one binds the body around it.</summary>
    public IReadOnlyList<SyntaxNode>? Candidates { get; }

    /// <summary>Some call may pass memory to a sink.</summary>
    public bool HasSinkCall { get; }

    /// <summary>Some call is named MapSingle or MapSg.</summary>
    public bool HasMapCall { get; }

    public static CodeBlockScan Of(SyntaxNode codeBlock, SinkCallNames names)
    {
        List<SyntaxNode>? candidates = null;
        var hasSinkCall = false;
        var hasMapCall = false;
        foreach (var node in codeBlock.DescendantNodes(n => n == codeBlock || IsPartOfTheBlock(n)))
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
                (candidates ??= new List<SyntaxNode>()).Add(node);
                hasSinkCall |= mayBeSink;
                hasMapCall |= isMap;
            }
        }

        return candidates is null ? Nothing : new CodeBlockScan(candidates, hasSinkCall, hasMapCall);
    }

    private static bool IsPartOfTheBlock(SyntaxNode node) =>
        node is GlobalStatementSyntax || node is not (MemberDeclarationSyntax or AccessorDeclarationSyntax);
}
