using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Finds instance fields the compiler adds to a source struct without showing them as members: a primary constructor
/// parameter used outside initializers is captured in a hidden field, whose position we cannot know.
/// </summary>
internal static class HiddenFieldDetector
{
    /// <summary>The name of a primary constructor parameter that may be captured, or null when none can be.</summary>
    public static string? FindCapturedPrimaryConstructorParameter(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax declaration ||
                declaration is RecordDeclarationSyntax ||
                declaration.ParameterList is not { Parameters.Count: > 0 } parameters)
            {
                continue;
            }

            var names = new HashSet<string>();
            foreach (var parameter in parameters.Parameters)
            {
                names.Add(parameter.Identifier.ValueText);
            }

            foreach (var member in declaration.Members)
            {
                if (member is BaseTypeDeclarationSyntax)
                {
                    continue;
                }

                foreach (var node in member.DescendantNodes(descendIntoChildren: n => !IsInitializer(n)))
                {
                    if (node is IdentifierNameSyntax identifier && names.Contains(identifier.Identifier.ValueText) && !IsInitializer(node))
                    {
                        return identifier.Identifier.ValueText;
                    }
                }
            }
        }

        return null;
    }

    // Parameters read only by field and property initializers are not captured: those run in the constructor.
    private static bool IsInitializer(SyntaxNode node) =>
        node is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax or PropertyDeclarationSyntax };
}
