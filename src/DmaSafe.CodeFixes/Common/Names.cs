using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DmaSafe.CodeFixes.Common;

/// <summary>
/// Fully qualified names the fixes insert, annotated so <see cref="DocumentCleanup"/> adds the using and shortens
/// them (to <c>DmaAligned</c>, <c>Gfp.DmaAligned</c>, …) wherever that binds to the same symbol.
/// </summary>
internal static class Names
{
    /// <summary><c>global::DmaSafe.&lt;name&gt;</c>.</summary>
    public static NameSyntax DmaSafe(string name) => Qualified("DmaSafe", name);

    /// <summary><c>global::System.Runtime.InteropServices.&lt;name&gt;</c>.</summary>
    public static NameSyntax InteropServices(string name) => Qualified("System.Runtime.InteropServices", name);

    /// <summary><c>global::DmaSafe.Gfp.DmaAligned</c>.</summary>
    public static ExpressionSyntax GfpDmaAligned() =>
        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, DmaSafe("Gfp"), SyntaxFactory.IdentifierName("DmaAligned"))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary>An attribute list holding one attribute, formatted by the cleanup.</summary>
    public static AttributeListSyntax AttributeList(AttributeSyntax attribute) =>
        SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute)).WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary><c>global::    private static NameSyntax Qualified(string ns, string name)lt;ns    private static NameSyntax Qualified(string ns, string name)gt;.    private static NameSyntax Qualified(string ns, string name)lt;name    private static NameSyntax Qualified(string ns, string name)gt;</c>, shortened by the cleanup.</summary>
    public static NameSyntax Qualified(string ns, string name)
    {
        NameSyntax result = SyntaxFactory.AliasQualifiedName(
            SyntaxFactory.IdentifierName(SyntaxFactory.Token(SyntaxKind.GlobalKeyword)),
            SyntaxFactory.IdentifierName(ns.Split('.')[0]));
        var parts = ns.Split('.');
        for (var i = 1; i < parts.Length; i++)
        {
            result = SyntaxFactory.QualifiedName(result, SyntaxFactory.IdentifierName(parts[i]));
        }

        return SyntaxFactory.QualifiedName(result, SyntaxFactory.IdentifierName(name))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
    }
}
