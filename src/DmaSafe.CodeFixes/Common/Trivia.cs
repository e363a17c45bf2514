using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DmaSafe.CodeFixes.Common;

/// <summary>Line breaks in the style the file already uses.</summary>
internal static class Trivia
{
    /// <summary>The file's line break (the first one found in its tree), "\n" when it has none.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode node)
    {
        var root = node.SyntaxTree.GetRoot();
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return SyntaxFactory.LineFeed;
    }
}
