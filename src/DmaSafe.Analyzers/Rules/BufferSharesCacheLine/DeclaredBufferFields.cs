using System;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>
/// The fields of one tree that may carry [DmaBuffer], found from where the text spells the attribute (or an alias of
/// it) instead of by a symbol action on every field of the compilation: the driver's dispatch of a field symbol action
/// (its per-symbol generated-code check reads the attributes of each field and its containing types) cost more than
/// the rule's own work on a project of ten thousand fields. Only field declarations count, as for the symbol action:
/// not <c>[field: DmaBuffer]</c> on a property or a record parameter, not event fields.
/// </summary>
internal static class DeclaredBufferFields
{
    public static void Find(SemanticModel model, SinkCallNames names, Action<IFieldSymbol> found, CancellationToken cancellation)
    {
        var tree = model.SyntaxTree;
        var text = tree.GetText(cancellation).ToString();
        var root = tree.GetRoot(cancellation);
        if (SinkCallNames.MaySpellNamesWithEscapes(text))
        {
            // A Unicode escape can spell the attribute's name anywhere: read every field declaration.
            foreach (var node in root.DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                if (node is FieldDeclarationSyntax { AttributeLists.Count: > 0 } field)
                {
                    AddVariables(model, field, found, cancellation);
                }
            }

            return;
        }

        var attributeNames = names.AttributeNames;
        for (var i = 0; i < attributeNames.Count; i++)
        {
            // By index: a foreach over the interface would allocate an enumerator for every tree.
            var name = attributeNames[i];
            for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
            {
                if (root.FindToken(at).Parent?.FirstAncestorOrSelf<AttributeListSyntax>() is { Parent: FieldDeclarationSyntax field } list
                    && (list.Target is null || list.Target.Identifier.ValueText == "field"))
                {
                    AddVariables(model, field, found, cancellation);
                }
            }
        }
    }

    private static void AddVariables(SemanticModel model, FieldDeclarationSyntax field, Action<IFieldSymbol> found, CancellationToken cancellation)
    {
        // The containing type once per declaration and its members by name, rather than a declared-symbol lookup per
        // variable (which finds the containing type again each time).
        if (field.Parent is not TypeDeclarationSyntax type || model.GetDeclaredSymbol(type, cancellation) is not INamedTypeSymbol containing)
        {
            return;
        }

        foreach (var variable in field.Declaration.Variables)
        {
            foreach (var member in containing.GetMembers(variable.Identifier.ValueText))
            {
                if (member is IFieldSymbol symbol && IsDeclaredBy(symbol, variable))
                {
                    found(symbol);
                }
            }
        }
    }

    private static bool IsDeclaredBy(IFieldSymbol field, VariableDeclaratorSyntax variable)
    {
        foreach (var location in field.Locations)
        {
            if (location.SourceTree == variable.SyntaxTree && location.SourceSpan == variable.Identifier.Span)
            {
                return true;
            }
        }

        return false;
    }
}
