using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// Applies a <see cref="LayoutPlan"/> to a struct declaration: inserts or recomputes the pads (Sequential) or
/// rewrites every FieldOffset (Explicit), and sets StructLayout's Size. Members keep their order, types, attributes
/// and comments; only a declaration of several fields that must be told apart is split into one per field.
/// </summary>
internal sealed class StructRewriter
{
    private readonly SemanticModel _model;
    private readonly int _line;

    public StructRewriter(SemanticModel model, int line)
    {
        _model = model;
        _line = line;
    }

    /// <summary>
    /// The member of <paramref name="declaration"/> that declares the field named <paramref name="metadataName"/>
    /// (a field declarator or the property behind a backing field); null when it is not declared there.
    /// </summary>
    public static bool DeclaresAll(TypeDeclarationSyntax declaration, IEnumerable<string> metadataNames)
    {
        var declared = new HashSet<string>();
        foreach (var member in declaration.Members)
        {
            foreach (var name in DeclaredFieldNames(member))
            {
                declared.Add(name);
            }
        }

        return metadataNames.All(declared.Contains);
    }

    public TypeDeclarationSyntax Apply(TypeDeclarationSyntax declaration, LayoutPlan plan, IReadOnlyDictionary<string, string> displayNames)
    {
        var members = new List<MemberDeclarationSyntax>();
        var padIndex = 0;
        var needsUnsafe = !IsUnsafeContext(declaration);
        foreach (var original in declaration.Members)
        {
            if (!plan.IsExplicit && DmaPads.IsPad(original))
            {
                continue;
            }

            foreach (var member in SplitIfNeeded(original, plan))
            {
                var name = DeclaredFieldNames(member).FirstOrDefault();
                if (name is not null && !plan.IsExplicit && plan.PadBefore.TryGetValue(name, out var before))
                {
                    members.Add(DmaPads.Create(padIndex++, before, Display(displayNames, name), _line, needsUnsafe));
                }

                members.Add(plan.IsExplicit && name is not null && plan.Offsets.TryGetValue(name, out var offset) ? WithFieldOffset(member, offset) : member);

                if (name is not null && !plan.IsExplicit && plan.PadAfter.TryGetValue(name, out var after))
                {
                    members.Add(DmaPads.Create(padIndex++, after, Display(displayNames, name), _line, needsUnsafe));
                }
            }
        }

        var rewritten = declaration.WithMembers(SyntaxFactory.List(members));
        return WithStructLayoutSize(rewritten, plan);
    }

    private static string Display(IReadOnlyDictionary<string, string> displayNames, string name) =>
        displayNames.TryGetValue(name, out var display) ? display : name;

    // A declaration of several fields is split when they need different pads or offsets; each part keeps the
    // attributes and modifiers (they applied to every declarator anyway), the comments stay on the first.
    private IEnumerable<MemberDeclarationSyntax> SplitIfNeeded(MemberDeclarationSyntax member, LayoutPlan plan)
    {
        if (member is not FieldDeclarationSyntax { Declaration.Variables.Count: > 1 } field)
        {
            return new[] { member };
        }

        var names = field.Declaration.Variables.Select(v => v.Identifier.ValueText).ToList();
        var differ = plan.IsExplicit
            ? names.Select(n => plan.Offsets.TryGetValue(n, out var o) ? o : -1).Distinct().Count() > 1
            : names.Any(n => plan.PadBefore.ContainsKey(n) || plan.PadAfter.ContainsKey(n));
        if (!differ)
        {
            return new[] { member };
        }

        var parts = new List<MemberDeclarationSyntax>();
        for (var i = 0; i < field.Declaration.Variables.Count; i++)
        {
            var single = field.WithDeclaration(field.Declaration.WithVariables(SyntaxFactory.SingletonSeparatedList(field.Declaration.Variables[i].WithoutTrivia())));
            if (i > 0)
            {
                single = single.WithLeadingTrivia(field.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia))).WithAdditionalAnnotations(Formatter.Annotation);
            }

            if (i < field.Declaration.Variables.Count - 1)
            {
                single = single.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
            }

            parts.Add(single);
        }

        return parts;
    }

    private MemberDeclarationSyntax WithFieldOffset(MemberDeclarationSyntax member, int offset)
    {
        var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(offset));
        var lists = member.AttributeLists;
        for (var i = 0; i < lists.Count; i++)
        {
            var list = lists[i];
            for (var j = 0; j < list.Attributes.Count; j++)
            {
                var attribute = list.Attributes[j];
                if (IsAttribute(attribute, "System.Runtime.InteropServices.FieldOffsetAttribute") && attribute.ArgumentList is { Arguments.Count: 1 } arguments)
                {
                    var argument = arguments.Arguments[0];
                    var newArgument = argument.WithExpression(literal.WithTriviaFrom(argument.Expression));
                    return member.WithAttributeLists(lists.Replace(list, list.WithAttributes(list.Attributes.Replace(attribute, attribute.WithArgumentList(arguments.WithArguments(arguments.Arguments.Replace(argument, newArgument)))))));
                }
            }
        }

        // A field without FieldOffset in an explicit struct does not compile (CS0625); the fix's preconditions exclude it.
        return member;
    }

    private TypeDeclarationSyntax WithStructLayoutSize(TypeDeclarationSyntax declaration, LayoutPlan plan)
    {
        var size = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(plan.Size));
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (!IsAttribute(attribute, "System.Runtime.InteropServices.StructLayoutAttribute"))
                {
                    continue;
                }

                var arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
                var existing = arguments.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Size");
                var newArguments = existing is not null
                    ? arguments.Arguments.Replace(existing, existing.WithExpression(size.WithTriviaFrom(existing.Expression)))
                    : arguments.Arguments.Add(SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals("Size"), null, size));
                return declaration.WithAttributeLists(declaration.AttributeLists.Replace(
                    list,
                    list.WithAttributes(list.Attributes.Replace(attribute, attribute.WithArgumentList(arguments.WithArguments(newArguments))))));
            }
        }

        var kind = SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            Names.InteropServices("LayoutKind"),
            SyntaxFactory.IdentifierName(plan.IsExplicit ? "Explicit" : "Sequential"));
        var structLayout = SyntaxFactory.Attribute(
            Names.InteropServices("StructLayout"),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(new[]
            {
                SyntaxFactory.AttributeArgument(kind),
                SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals("Size"), null, size),
            })));
        return (TypeDeclarationSyntax)AttributeAdder.Add(declaration, structLayout);
    }

    private bool IsAttribute(AttributeSyntax attribute, string metadataName)
    {
        var type = (_model.GetSymbolInfo(attribute).Symbol as IMethodSymbol)?.ContainingType;
        return type is not null && type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == "global::" + metadataName;
    }

    private static bool IsUnsafeContext(SyntaxNode node) =>
        node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Any(t => t.Modifiers.Any(SyntaxKind.UnsafeKeyword));

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
            case PropertyDeclarationSyntax property when !property.Modifiers.Any(SyntaxKind.StaticKeyword):
                yield return string.Format(CultureInfo.InvariantCulture, "<{0}>k__BackingField", property.Identifier.ValueText);
                break;
        }
    }
}
