using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.CodeFixes.Common;

/// <summary>
/// Adds an attribute to a declaration without reformatting it: the new list takes over the declaration's leading
/// comments and indentation and sits on its own line; everything the user wrote keeps its trivia.
/// </summary>
internal static class AttributeAdder
{
    /// <summary>Whether <paramref name="node"/> is a declaration this helper can put an attribute on.</summary>
    public static bool CanAdd(SyntaxNode node) =>
        node is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or ParameterSyntax;

    /// <summary>The declaration with <paramref name="attribute"/> as its first attribute.</summary>
    public static SyntaxNode Add(SyntaxNode declaration, AttributeSyntax attribute)
    {
        if (declaration is ParameterSyntax parameter)
        {
            var inline = InlineList(attribute)
                .WithLeadingTrivia(parameter.GetLeadingTrivia())
                .WithTrailingTrivia(SyntaxFactory.Space);
            var bare = parameter.WithoutLeadingTrivia();
            return bare.WithAttributeLists(bare.AttributeLists.Insert(0, inline));
        }

        var leading = declaration.GetLeadingTrivia();
        var list = Names.AttributeList(attribute)
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(Trivia.EndOfLine(declaration));
        var stripped = declaration.WithLeadingTrivia(Indentation(leading));
        return stripped switch
        {
            MemberDeclarationSyntax member => member.WithAttributeLists(member.AttributeLists.Insert(0, list)),
            LocalFunctionStatementSyntax local => local.WithAttributeLists(local.AttributeLists.Insert(0, list)),
            AccessorDeclarationSyntax accessor => accessor.WithAttributeLists(accessor.AttributeLists.Insert(0, list)),
            _ => declaration,
        };
    }

    /// <summary>The declaration with <paramref name="attribute"/> first, on the same line (<c>[FieldOffset(0)] public int A;</c>).</summary>
    public static SyntaxNode AddInline(MemberDeclarationSyntax declaration, AttributeSyntax attribute)
    {
        var list = InlineList(attribute)
            .WithLeadingTrivia(declaration.GetLeadingTrivia())
            .WithTrailingTrivia(SyntaxFactory.Space);
        var stripped = declaration.WithoutLeadingTrivia();
        return stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, list));
    }

    // Tokens without elastic trivia: a formatter pass would otherwise move the list onto a line of its own or eat the space after it.
    private static AttributeListSyntax InlineList(AttributeSyntax attribute) =>
        SyntaxFactory.AttributeList(
            SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.OpenBracketToken, SyntaxTriviaList.Empty),
            null,
            SyntaxFactory.SingletonSeparatedList(attribute),
            SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.CloseBracketToken, SyntaxTriviaList.Empty));

    /// <summary>The whitespace after the last line break or comment of <paramref name="leading"/> (the declaration's indentation).</summary>
    public static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
    {
        var lastBreak = -1;
        for (var i = 0; i < leading.Count; i++)
        {
            if (!leading[i].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                lastBreak = i;
            }
        }

        return SyntaxFactory.TriviaList(leading.Skip(lastBreak + 1));
    }
}
