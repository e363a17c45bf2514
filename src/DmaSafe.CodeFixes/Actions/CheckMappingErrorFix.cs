using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace DmaSafe.CodeFixes.Actions;

/// <summary>
/// "Check the mapping error" (DMA005): right after the statement that maps, inserts
/// <c>if (dev.MappingError(addr)) { … }</c> (for a scatter-gather map, <c>if (count == 0)</c>) that fails the way the
/// surrounding method reports failure: <c>return false</c>, the method's own negative error code (else -ENOMEM),
/// <c>return null</c>, the error address itself for a DmaAddress-returning method, otherwise a throw.
/// </summary>
internal static class CheckMappingErrorFix
{
    /// <summary>Linux's ENOMEM, what dma_mapping_error callers return when no other error code is in sight.</summary>
    private const int Enomem = 12;

    public static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (await DiagnosticNodes.LoadAsync(document, cancellationToken).ConfigureAwait(false) is not var (root, model))
        {
            return document;
        }

        var symbols = DmaSymbols.TryCreate(model.Compilation, document.Project.AnalyzerOptions);
        if (symbols is null)
        {
            return document;
        }

        var checks = new Dictionary<StatementSyntax, StatementSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (DiagnosticNodes.Find(root, diagnostic) is { } node
                && FindMapping(node, model, symbols, cancellationToken) is { } mapping
                && !checks.ContainsKey(mapping.Statement)
                && BuildCheck(mapping, model, cancellationToken) is { } check)
            {
                checks[mapping.Statement] = check;
            }
        }

        if (checks.Count == 0)
        {
            return document;
        }

        var newRoot = root.TrackNodes(checks.Keys);
        foreach (var pair in checks)
        {
            var current = newRoot.GetCurrentNode(pair.Key)!;
            newRoot = newRoot.InsertNodesAfter(current, new[] { pair.Value });
        }

        return await DocumentCleanup.RunAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
    }

    private sealed class Mapping
    {
        public Mapping(StatementSyntax statement, ExpressionSyntax device, ExpressionSyntax result, bool isScatterGather)
        {
            Statement = statement;
            Device = device;
            Result = result;
            IsScatterGather = isScatterGather;
        }

        /// <summary>The statement that maps; the check goes right after it.</summary>
        public StatementSyntax Statement { get; }

        public ExpressionSyntax Device { get; }

        /// <summary>Where the mapping's result was stored (a local, a field, a parameter).</summary>
        public ExpressionSyntax Result { get; }

        public bool IsScatterGather { get; }
    }

    // The diagnostic sits on the map call or on a later use of its result; either way, find the statement that stored
    // the result of MapSingle/MapSg in a variable and that variable.
    private static Mapping? FindMapping(SyntaxNode node, SemanticModel model, DmaSymbols symbols, CancellationToken cancellationToken)
    {
        var body = node.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax);
        if (body is null)
        {
            return null;
        }

        var map = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => IsMap(i, model, symbols, cancellationToken));
        if (map is null)
        {
            var used = node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
                .Select(i => model.GetSymbolInfo(i, cancellationToken).Symbol)
                .Where(s => s is ILocalSymbol or IFieldSymbol or IParameterSymbol)
                .ToList();
            map = body.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Where(i => i.SpanStart < node.SpanStart && IsMap(i, model, symbols, cancellationToken))
                .Where(i => StoredInto(i, model, cancellationToken) is { } target
                    && (used.Contains(target, SymbolEqualityComparer.Default) || MapsListUsedIn(i, used, model, symbols, cancellationToken)))
                .LastOrDefault();
        }

        if (map is null || map.Expression is not MemberAccessExpressionSyntax { Expression: var device } || !IsPlain(device))
        {
            return null;
        }

        var statement = map.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax local, Variables.Count: 1 } } } => local,
            AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax assignment } => (StatementSyntax)assignment,
            _ => null,
        };
        if (statement?.Parent is not (BlockSyntax or SwitchSectionSyntax))
        {
            return null;
        }

        ExpressionSyntax? result = statement switch
        {
            LocalDeclarationStatementSyntax local => SyntaxFactory.IdentifierName(local.Declaration.Variables[0].Identifier.ValueText),
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: var left } } when IsPlain(left) => left.WithoutTrivia(),
            _ => null,
        };
        var isScatterGather = ((IMethodSymbol)model.GetSymbolInfo(map, cancellationToken).Symbol!).Name == "MapSg";
        return result is null ? null : new Mapping(statement, device.WithoutTrivia(), result, isScatterGather);
    }

    // A scatter-gather list is used through its entries, not the count: DMA005 points at the list.
    private static bool MapsListUsedIn(InvocationExpressionSyntax map, List<ISymbol?> used, SemanticModel model, DmaSymbols symbols, CancellationToken cancellationToken) =>
        symbols.IsMapSg(model.GetSymbolInfo(map, cancellationToken).Symbol as IMethodSymbol)
        && map.ArgumentList.Arguments.Count > 0
        && model.GetSymbolInfo(map.ArgumentList.Arguments[0].Expression, cancellationToken).Symbol is { } list
        && used.Contains(list, SymbolEqualityComparer.Default);

    private static bool IsMap(InvocationExpressionSyntax invocation, SemanticModel model, DmaSymbols symbols, CancellationToken cancellationToken)
    {
        var method = model.GetSymbolInfo(invocation, cancellationToken).Symbol as IMethodSymbol;
        return symbols.IsMapSingle(method) || symbols.IsMapSg(method);
    }

    private static ISymbol? StoredInto(InvocationExpressionSyntax map, SemanticModel model, CancellationToken cancellationToken) => map.Parent switch
    {
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => model.GetDeclaredSymbol(declarator, cancellationToken),
        AssignmentExpressionSyntax assignment => model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol,
        _ => null,
    };

    // Expressions that can be evaluated a second time without side effects: names, this/base and member chains of them.
    private static bool IsPlain(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax or BaseExpressionSyntax => true,
        MemberAccessExpressionSyntax member => IsPlain(member.Expression),
        ParenthesizedExpressionSyntax parenthesized => IsPlain(parenthesized.Expression),
        _ => false,
    };

    private static StatementSyntax? BuildCheck(Mapping mapping, SemanticModel model, CancellationToken cancellationToken)
    {
        ExpressionSyntax condition = mapping.IsScatterGather
            ? SyntaxFactory.BinaryExpression(SyntaxKind.EqualsExpression, mapping.Result, SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0)))
            : SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, mapping.Device, SyntaxFactory.IdentifierName("MappingError")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(mapping.Result))));
        if (FailureStatement(mapping, model, cancellationToken) is not { } failure)
        {
            return null;
        }

        // A blank line after the block, as after any block in this code base (SA1513), unless the block's '}' follows.
        var endOfLine = Trivia.EndOfLine(mapping.Statement);
        var isLast = mapping.Statement.Parent is BlockSyntax block && block.Statements.Last() == mapping.Statement;
        return SyntaxFactory.IfStatement(condition, SyntaxFactory.Block(failure))
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(isLast ? SyntaxFactory.TriviaList(endOfLine) : SyntaxFactory.TriviaList(endOfLine, endOfLine))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static StatementSyntax? FailureStatement(Mapping mapping, SemanticModel model, CancellationToken cancellationToken)
    {
        var function = mapping.Statement.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax);
        var method = function is AnonymousFunctionExpressionSyntax lambda
            ? model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(function!, cancellationToken) as IMethodSymbol;
        if (method is null)
        {
            return null;
        }

        if (function!.DescendantNodes().OfType<YieldStatementSyntax>().Any())
        {
            return Throw(mapping);
        }

        var returnType = method.ReturnType;
        if (method.IsAsync && returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } task)
        {
            returnType = task.TypeArguments[0];
        }
        else if (method.IsAsync || method.ReturnsVoid)
        {
            return Throw(mapping);
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return Throw(mapping);
        }

        switch (returnType.SpecialType)
        {
            case SpecialType.System_Boolean:
                return SyntaxFactory.ReturnStatement(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression));
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
            case SpecialType.System_Int16:
            case SpecialType.System_SByte:
                return SyntaxFactory.ReturnStatement(ExistingErrorCode(function!, model, cancellationToken)
                    ?? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(Enomem))));
        }

        if (returnType.TypeKind == TypeKind.Pointer
            || (returnType.IsReferenceType && returnType.NullableAnnotation == NullableAnnotation.Annotated)
            || returnType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return SyntaxFactory.ReturnStatement(SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression));
        }

        if (!mapping.IsScatterGather && returnType.Name == "DmaAddress" && returnType.ContainingNamespace?.Name == "DmaSafe")
        {
            // The error address is the method's own failure value: callers check it with MappingError.
            return SyntaxFactory.ReturnStatement(mapping.Result);
        }

        return Throw(mapping);
    }

    // A negative constant the method already returns ('return -EIO;', 'return -5;') is its error style.
    private static ExpressionSyntax? ExistingErrorCode(SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var returned in function.DescendantNodes().OfType<ReturnStatementSyntax>())
        {
            if (returned.Expression is { } expression
                && model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int or long or short or sbyte } constant
                && System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) < 0)
            {
                return expression.WithoutTrivia();
            }
        }

        return null;
    }

    private static StatementSyntax Throw(Mapping mapping)
    {
        var message = mapping.IsScatterGather
            ? "DMA mapping failed: MapSg mapped no segments (the bounce pool may be full)"
            : "DMA mapping failed: MappingError reported the error address (the bounce pool may be full)";
        return SyntaxFactory.ThrowStatement(SyntaxFactory.ObjectCreationExpression(
            Names.Qualified("System", "InvalidOperationException"),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(message))))),
            null));
    }
}
