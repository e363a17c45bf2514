using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using DmaSafe.Analyzers.Infrastructure;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// Finds a call through a parenthesized or computed callee (<c>(this.Map)(p)</c>, <c>handlers[0](p)</c>, <c>f()(p)</c>):
/// the name-based block scan cannot see it, the operation path can, so a body holding one is left to the operation
/// path. Read from the text: every argument list starts with <c>(</c>, and a named callee ends in an identifier or a
/// generic name's <c>&gt;</c> right before it, so only the other parentheses are looked up in the tree, instead of
/// walking every node of the body.
/// </summary>
internal static class UnnamedCalls
{
    public static bool In(SyntaxNode member, SourceText text)
    {
        var span = member.Span;

        // A comment or a directive between a callee and its argument list would hide the character before the
        // parenthesis; in a body holding either, every parenthesis is looked up.
        var lookUpAll = Contains(text, span, '#') || ContainsCommentStart(text, span);
        for (var position = span.Start; position < span.End; position++)
        {
            if (text[position] != '(' || (!lookUpAll && FollowsName(text, span.Start, position)))
            {
                continue;
            }

            var token = member.FindToken(position);
            if (token.IsKind(SyntaxKind.OpenParenToken) && token.SpanStart == position
                && token.Parent is ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation }
                && SyntaxNames.InvokedName(invocation.Expression) is null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool FollowsName(SourceText text, int start, int position)
    {
        var before = position - 1;
        while (before >= start && char.IsWhiteSpace(text[before]))
        {
            before--;
        }

        return before >= start && (SyntaxFacts.IsIdentifierPartCharacter(text[before]) || text[before] == '>');
    }

    private static bool Contains(SourceText text, TextSpan span, char wanted)
    {
        for (var position = span.Start; position < span.End; position++)
        {
            if (text[position] == wanted)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsCommentStart(SourceText text, TextSpan span)
    {
        for (var position = span.Start; position + 1 < span.End; position++)
        {
            if (text[position] == '/' && (text[position + 1] == '/' || text[position + 1] == '*'))
            {
                return true;
            }
        }

        return false;
    }
}
