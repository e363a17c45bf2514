using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// <see cref="LocalAssignments"/> for the syntax path, stricter: a local is followed only when it is declared alone with
/// an initializer in a plain local declaration (<c>var st = machine.Kmalloc&lt;State&gt;();</c>) and no name spelled
/// like it is written anywhere in the member (assigned, incremented, passed by ref/out/in, address taken, ref-aliased,
/// deconstructed into), lambdas and local functions included. Anything else is "not decided" and the block takes the
/// operation path, which knows the other cases.
/// </summary>
internal sealed class SyntaxLocals
{
    private readonly SyntaxNode _member;
    private readonly string? _text;
    private HashSet<string>? _written;

    /// <param name="member">The method, constructor or accessor whose body is traced.</param>
    /// <param name="text">The member's tree's text, when the caller has it: a local is then checked where its name is spelled.</param>
    public SyntaxLocals(SyntaxNode member, string? text = null)
    {
        _member = member;
        _text = text;
    }

    public bool TryGetSingleInitializer(ILocalSymbol local, CancellationToken cancellation, out ExpressionSyntax initializer)
    {
        initializer = null!;
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellation) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.None, AwaitKeyword.RawKind: (int)SyntaxKind.None } statement
            || statement.IsConst
            || !_member.Span.Contains(declarator.Span)
            || declarator.SyntaxTree != _member.SyntaxTree)
        {
            return false;
        }

        if (IsWritten(local.Name))
        {
            return false;
        }

        initializer = value;
        return true;
    }

    private bool IsWritten(string name)
    {
        var span = _member.Span;
        if (_text is null || span.End > _text.Length
            || _text.IndexOf("\\u", span.Start, span.Length, System.StringComparison.OrdinalIgnoreCase) >= 0)
        {
            // No text, or an escape may spell the name (st as \u0073t): walk every name of the member.
            _written ??= WrittenNames(_member);
            return _written.Contains(name);
        }

        // Every identifier spelling the name contains it in the text: look only there, not at every node.
        for (var at = _text.IndexOf(name, span.Start, span.Length, System.StringComparison.Ordinal);
             at >= 0;
             at = at + 1 < span.End ? _text.IndexOf(name, at + 1, span.End - (at + 1), System.StringComparison.Ordinal) : -1)
        {
            var token = _member.FindToken(at);
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.Span.Contains(at) && token.ValueText == name
                && token.Parent is IdentifierNameSyntax identifier && IsWritten(identifier))
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> WrittenNames(SyntaxNode member)
    {
        var written = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var node in member.DescendantNodes())
        {
            if (node is IdentifierNameSyntax name && IsWritten(name))
            {
                written.Add(name.Identifier.ValueText);
            }
        }

        return written;
    }

    private static bool IsWritten(IdentifierNameSyntax name)
    {
        SyntaxNode node = name;
        while (node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        switch (node.Parent)
        {
            case AssignmentExpressionSyntax assignment:
                return assignment.Left == node;
            case PrefixUnaryExpressionSyntax unary:
                return unary.IsKind(SyntaxKind.PreIncrementExpression) || unary.IsKind(SyntaxKind.PreDecrementExpression) || unary.IsKind(SyntaxKind.AddressOfExpression);
            case PostfixUnaryExpressionSyntax unary:
                return unary.IsKind(SyntaxKind.PostIncrementExpression) || unary.IsKind(SyntaxKind.PostDecrementExpression);
            case ArgumentSyntax argument:
                // ref/out/in hand the variable itself on; inside a tuple it may be deconstructed into.
                return !argument.RefKindKeyword.IsKind(SyntaxKind.None) || argument.Parent is TupleExpressionSyntax;
            case RefExpressionSyntax:
                return true;
            default:
                return false;
        }
    }
}
