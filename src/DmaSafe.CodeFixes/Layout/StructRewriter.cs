using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// Applies a <see cref="LayoutPlan"/> to a struct declaration: <c>[StructLayout(LayoutKind.Explicit, Size = n)]</c>
/// (Pack, CharSet kept), a <c>[FieldOffset]</c> on every field (auto-properties: <c>[field: FieldOffset]</c>) and a
/// one-line comment saying why. Members keep their order, types, attributes and comments; a declaration of
/// several fields that now sit at different offsets is split into one per field.
/// </summary>
internal sealed class StructRewriter
{
    /// <summary>Starts the comment the fix writes above the struct; a struct carrying it is not commented twice.</summary>
    public const string CommentMarker = "// DMA001:";

    private readonly SemanticModel _model;
    private readonly int _line;

    public StructRewriter(SemanticModel model, int line)
    {
        _model = model;
        _line = line;
    }

    /// <summary>Whether every field in <paramref name="metadataNames"/> is declared by a field or auto-property member.</summary>
    public static bool DeclaresAll(TypeDeclarationSyntax declaration, IEnumerable<string> metadataNames)
    {
        var declared = new HashSet<string>(declaration.Members.SelectMany(DeclaredFieldNames));
        return metadataNames.All(declared.Contains);
    }

    public TypeDeclarationSyntax Apply(TypeDeclarationSyntax declaration, LayoutPlan plan, IReadOnlyCollection<string> protectedNames)
    {
        // Attributes are identified on the original nodes (the semantic model knows only those), by position.
        var structLayout = FindAttribute(declaration.AttributeLists, "System.Runtime.InteropServices.StructLayoutAttribute");
        var members = new List<MemberDeclarationSyntax>();
        foreach (var original in declaration.Members)
        {
            var fieldOffset = FindAttribute(original.AttributeLists, "System.Runtime.InteropServices.FieldOffsetAttribute");
            foreach (var member in SplitIfNeeded(original, plan))
            {
                var name = DeclaredFieldNames(member).FirstOrDefault();
                members.Add(name is not null && plan.Offsets.TryGetValue(name, out var offset) ? WithFieldOffset(member, offset, fieldOffset) : member);
            }
        }

        var rewritten = declaration.WithMembers(SyntaxFactory.List(members));
        return WithComment(WithExplicitLayout(rewritten, plan, structLayout), protectedNames);
    }

    private (int List, int Attribute, bool IsExplicit)? FindAttribute(SyntaxList<AttributeListSyntax> lists, string metadataName)
    {
        for (var i = 0; i < lists.Count; i++)
        {
            for (var j = 0; j < lists[i].Attributes.Count; j++)
            {
                var attribute = lists[i].Attributes[j];
                var type = _model.GetSymbolInfo(attribute).Symbol?.ContainingType;
                if (type is not null && type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == "global::" + metadataName)
                {
                    var kind = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null && a.NameColon is null);
                    var isExplicit = kind is not null && IsExplicitKind(kind.Expression);
                    return (i, j, isExplicit);
                }
            }
        }

        return null;
    }

    // A declaration of several fields is split when they get different offsets; each part keeps the attributes and
    // modifiers (they applied to every declarator anyway), the comments stay on the first.
    private static IEnumerable<MemberDeclarationSyntax> SplitIfNeeded(MemberDeclarationSyntax member, LayoutPlan plan)
    {
        if (member is not FieldDeclarationSyntax { Declaration.Variables.Count: > 1 } field)
        {
            return new[] { member };
        }

        var names = field.Declaration.Variables.Select(v => v.Identifier.ValueText).ToList();
        if (names.Select(n => plan.Offsets.TryGetValue(n, out var o) ? o : -1).Distinct().Count() == 1)
        {
            return new[] { member };
        }

        var indentation = AttributeAdder.Indentation(field.GetLeadingTrivia());
        var endOfLine = Trivia.EndOfLine(field);
        var parts = new List<MemberDeclarationSyntax>();
        var variables = field.Declaration.Variables;
        for (var i = 0; i < variables.Count; i++)
        {
            var variable = i == 0 ? variables[i].WithoutTrailingTrivia() : variables[i].WithoutTrivia();
            var single = field.WithDeclaration(field.Declaration.WithVariables(SyntaxFactory.SingletonSeparatedList(variable)));
            if (i > 0)
            {
                single = single.WithLeadingTrivia(indentation);
            }

            if (i < variables.Count - 1)
            {
                single = single.WithTrailingTrivia(endOfLine);
            }

            parts.Add(single);
        }

        return parts;
    }

    private static MemberDeclarationSyntax WithFieldOffset(MemberDeclarationSyntax member, int offset, (int List, int Attribute, bool IsExplicit)? existing)
    {
        var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(offset));
        var lists = member.AttributeLists;
        if (existing is { } position)
        {
            var list = lists[position.List];
            var attribute = list.Attributes[position.Attribute];
            {
                if (attribute.ArgumentList is { Arguments.Count: 1 } arguments)
                {
                    var argument = arguments.Arguments[0];
                    var newArgument = argument.WithExpression(literal.WithTriviaFrom(argument.Expression));
                    return member.WithAttributeLists(lists.Replace(list, list.WithAttributes(list.Attributes.Replace(
                        attribute,
                        attribute.WithArgumentList(arguments.WithArguments(arguments.Arguments.Replace(argument, newArgument)))))));
                }
            }
        }

        var fieldOffset = SyntaxFactory.Attribute(
            Names.InteropServices("FieldOffset"),
            SyntaxFactory.AttributeArgumentList(
                SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.OpenParenToken, SyntaxTriviaList.Empty),
                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(literal)),
                SyntaxFactory.Token(SyntaxTriviaList.Empty, SyntaxKind.CloseParenToken, SyntaxTriviaList.Empty)));
        if (member is PropertyDeclarationSyntax)
        {
            // An auto-property's backing field takes the attribute through the field: target.
            var withTarget = (PropertyDeclarationSyntax)AttributeAdder.Add(member, fieldOffset);
            var first = withTarget.AttributeLists[0];
            return withTarget.WithAttributeLists(withTarget.AttributeLists.Replace(
                first,
                first.WithTarget(SyntaxFactory.AttributeTargetSpecifier(SyntaxFactory.Token(SyntaxKind.FieldKeyword)))));
        }

        return (MemberDeclarationSyntax)AttributeAdder.AddInline(member, fieldOffset);
    }

    private static TypeDeclarationSyntax WithExplicitLayout(TypeDeclarationSyntax declaration, LayoutPlan plan, (int List, int Attribute, bool IsExplicit)? existing)
    {
        var size = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(plan.Size));
        var explicitKind = SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            Names.InteropServices("LayoutKind"),
            SyntaxFactory.IdentifierName("Explicit"));
        if (existing is { } position)
        {
            var list = declaration.AttributeLists[position.List];
            var attribute = list.Attributes[position.Attribute];
            {
                var arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
                var newArguments = arguments.Arguments;
                var kind = newArguments.FirstOrDefault(a => a.NameEquals is null && a.NameColon is null);
                if (kind is not null && !position.IsExplicit)
                {
                    newArguments = newArguments.Replace(kind, kind.WithExpression(explicitKind.WithTriviaFrom(kind.Expression)));
                }

                var sizeArgument = newArguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Size");
                newArguments = sizeArgument is not null
                    ? newArguments.Replace(sizeArgument, sizeArgument.WithExpression(size.WithTriviaFrom(sizeArgument.Expression)))
                    : AddNamed(newArguments, "Size", size);
                return declaration.WithAttributeLists(declaration.AttributeLists.Replace(
                    list,
                    list.WithAttributes(list.Attributes.Replace(attribute, attribute.WithArgumentList(arguments.WithArguments(newArguments))))));
            }
        }

        var structLayout = SyntaxFactory.Attribute(
            Names.InteropServices("StructLayout"),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(new[]
            {
                SyntaxFactory.AttributeArgument(explicitKind),
                SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals("Size"), null, size),
            })));
        return (TypeDeclarationSyntax)AttributeAdder.Add(declaration, structLayout);
    }

    // 'Name = value' after the existing arguments, spaced as people write it (the attribute is not reformatted).
    private static SeparatedSyntaxList<AttributeArgumentSyntax> AddNamed(SeparatedSyntaxList<AttributeArgumentSyntax> arguments, string name, ExpressionSyntax value)
    {
        var equals = SyntaxFactory.Token(SyntaxKind.EqualsToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space);
        var argument = SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name), equals), null, value);
        var added = arguments.Add(argument);
        return added.Count < 2
            ? added
            : added.ReplaceSeparator(added.GetSeparator(added.Count - 2), SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
    }

    private bool IsExplicitKind(ExpressionSyntax expression) =>
        _model.GetConstantValue(expression) is { HasValue: true, Value: var value } && System.Convert.ToInt32(value, CultureInfo.InvariantCulture) == (int)System.Runtime.InteropServices.LayoutKind.Explicit;

    // The why, once, right above the struct's attributes: the offsets are load-bearing and easy to break by hand.
    // A later fix of the same struct rewrites its own comment so it names every protected field.
    private TypeDeclarationSyntax WithComment(TypeDeclarationSyntax declaration, IReadOnlyCollection<string> protectedNames)
    {
        var names = string.Join(", ", protectedNames.OrderBy(n => n, System.StringComparer.Ordinal).Select(n => "'" + n + "'"));
        var text = string.Format(
            CultureInfo.InvariantCulture,
            "{0} explicit offsets give {1} {2}-byte DMA cache lines of {3} own; keep other fields off those lines.",
            CommentMarker,
            names,
            _line,
            protectedNames.Count == 1 ? "its" : "their");
        var leading = declaration.GetLeadingTrivia();
        var previous = leading.FirstOrDefault(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) && t.ToString().StartsWith(CommentMarker, System.StringComparison.Ordinal));
        if (previous != default)
        {
            return declaration.WithLeadingTrivia(leading.Replace(previous, SyntaxFactory.Comment(text)));
        }

        var indentation = AttributeAdder.Indentation(leading);
        var comment = SyntaxFactory.TriviaList(SyntaxFactory.Comment(text), Trivia.EndOfLine(declaration)).AddRange(indentation);
        return declaration.WithLeadingTrivia(leading.AddRange(comment));
    }

    /// <summary>Metadata names of the instance fields a member declares (auto-properties: their backing field).</summary>
    public static IEnumerable<string> DeclaredFieldNames(MemberDeclarationSyntax member)
    {
        switch (member)
        {
            case FieldDeclarationSyntax field when !field.Modifiers.Any(SyntaxKind.StaticKeyword) && !field.Modifiers.Any(SyntaxKind.ConstKeyword):
                foreach (var variable in field.Declaration.Variables)
                {
                    yield return variable.Identifier.ValueText;
                }

                break;
            case PropertyDeclarationSyntax { AccessorList: { } accessors } property
                when !property.Modifiers.Any(SyntaxKind.StaticKeyword) && !property.Modifiers.Any(SyntaxKind.AbstractKeyword)
                    && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null):
                yield return string.Format(CultureInfo.InvariantCulture, "<{0}>k__BackingField", property.Identifier.ValueText);
                break;
        }
    }
}
