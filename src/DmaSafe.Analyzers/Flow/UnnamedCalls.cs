using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
    /// <param name="text">The whole tree's text (a string, so characters are read without a call each).</param>
    public static bool In(SyntaxNode member, string text)
    {
        var start = member.Span.Start;
        var end = member.Span.End;

        // A comment or a directive between a callee and its argument list would hide the character before the
        // parenthesis; in a body holding either, every parenthesis is looked up.
        var lookUpAll = text.IndexOf('#', start, end - start) >= 0 || ContainsCommentStart(text, start, end);
        for (var position = text.IndexOf('(', start, end - start); position >= 0; position = position + 1 < end ? text.IndexOf('(', position + 1, end - position - 1) : -1)
        {
            if (!lookUpAll && FollowsName(text, start, position))
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

    private static bool FollowsName(string text, int start, int position)
    {
        var before = position - 1;
        while (before >= start && char.IsWhiteSpace(text[before]))
        {
            before--;
        }

        return before >= start && (SyntaxFacts.IsIdentifierPartCharacter(text[before]) || text[before] == '>');
    }

    private static bool ContainsCommentStart(string text, int start, int end)
    {
        for (var position = text.IndexOf('/', start, end - start); position >= 0 && position + 1 < end; position = text.IndexOf('/', position + 1, end - position - 1))
        {
            if (text[position + 1] is '/' or '*')
            {
                return true;
            }
        }

        return false;
    }
}
