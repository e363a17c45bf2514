using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>The simple name a piece of syntax calls or names, read without binding.</summary>
internal static class SyntaxNames
{
    /// <summary>
    /// The simple name of the invoked method (<c>M</c> in <c>M(...)</c>, <c>x.M(...)</c>, <c>x?.M(...)</c>,
    /// <c>M&lt;T&gt;(...)</c>, <c>global::N.M(...)</c>), or null when the callee is not a name (a delegate held by an
    /// element, a call's result, a parenthesized expression).
    /// </summary>
    public static string? InvokedName(ExpressionSyntax callee) => callee switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The type's own simple name (<c>E</c> in <c>E</c>, <c>N.E</c>, <c>global::N.E</c>, <c>E&lt;T&gt;</c>), or null.</summary>
    public static string? RightmostName(TypeSyntax? type) => type switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };
}
