using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Mapping;

/// <summary>
/// DMA005's fast path read from syntax: the map result is declared alone (<c>var a = dev.MapSingle(...);</c>) and the
/// very next statement of the same block is an <c>if</c> that checks it (<c>if (dev.MappingError(a))</c>,
/// <c>if (!dev.MappingError(a))</c>, a comparison of the MapSg count). For such a call the operation path reports
/// nothing and builds no control-flow graph; any other shape is left to it.
/// </summary>
internal static class SyntaxMappingCheck
{
    public static bool IsCheckedByTheNextStatement(SemanticModel model, DmaSymbols symbols, InvocationExpressionSyntax map, bool isCount, CancellationToken cancellation)
    {
        SyntaxNode current = map;
        while (current.Parent is ParenthesizedExpressionSyntax || current.Parent is CastExpressionSyntax cast && cast.Expression == current)
        {
            current = current.Parent;
        }

        if (current.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement }
            || !statement.UsingKeyword.IsKind(SyntaxKind.None)
            || statement.Parent is not BlockSyntax block)
        {
            return false;
        }

        // The local is in scope in the very next statement, and C# lets no nested scope declare its name again, so a
        // simple name spelling it at the top of that statement's condition is the local: no binding needed to tell.
        var variable = declarator.Identifier.ValueText;

        var index = block.Statements.IndexOf(statement);
        if (index < 0 || index + 1 >= block.Statements.Count || block.Statements[index + 1] is not IfStatementSyntax next)
        {
            return false;
        }

        var condition = next.Condition;
        while (condition is ParenthesizedExpressionSyntax or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression })
        {
            condition = condition switch
            {
                ParenthesizedExpressionSyntax parenthesized => parenthesized.Expression,
                PrefixUnaryExpressionSyntax not => not.Operand,
                _ => condition,
            };
        }

        if (isCount)
        {
            // Any binary operator (a comparison, && or ||) naming the count, as the operation path's check reads it.
            return condition is BinaryExpressionSyntax binary
                && !binary.IsKind(SyntaxKind.CoalesceExpression) && !binary.IsKind(SyntaxKind.AsExpression) && !binary.IsKind(SyntaxKind.IsExpression)
                && (Names(binary.Left, variable) || Names(binary.Right, variable));
        }

        return condition is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } check
            && model.GetSymbolInfo(check, cancellation).Symbol is IMethodSymbol { Parameters.Length: 1 } method
            && symbols.IsMappingError(method)
            && arguments[0].NameColon is null
            && Names(arguments[0].Expression, variable);
    }

    private static bool Names(ExpressionSyntax expression, string variable)
    {
        while (expression is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            expression = expression is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((CastExpressionSyntax)expression).Expression;
        }

        return expression is IdentifierNameSyntax name && name.Identifier.ValueText == variable;
    }
}
