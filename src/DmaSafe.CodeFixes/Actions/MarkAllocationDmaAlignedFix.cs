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
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.CodeFixes.Actions;

/// <summary>
/// "Mark the allocation DMA-aligned" (DMA002, DMA004 at an allocation site): adds <c>Gfp.DmaAligned</c> to the
/// <c>Kmalloc</c>/<c>Kzalloc</c> flags. An absent argument is created (positionally when it can be, else as
/// <c>flags:</c>), <c>Gfp.Kernel</c> alone is replaced, other flags are kept (<c>Gfp.Zero | Gfp.DmaAligned</c>).
/// </summary>
internal static class MarkAllocationDmaAlignedFix
{
    private const string FlagsParameter = "flags";

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

        var edits = new Dictionary<InvocationExpressionSyntax, InvocationExpressionSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindAllocation(DiagnosticNodes.Find(root, diagnostic), model, symbols, cancellationToken) is { } invocation
                && !edits.ContainsKey(invocation)
                && Rewrite(invocation, model, symbols, cancellationToken) is { } rewritten)
            {
                edits[invocation] = rewritten;
            }
        }

        if (edits.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(edits.Keys, (original, _) => edits[original]);
        return await DocumentCleanup.RunAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Kmalloc/Kzalloc call at or around <paramref name="node"/>.</summary>
    public static InvocationExpressionSyntax? FindAllocation(SyntaxNode? node, SemanticModel model, DmaSymbols symbols, CancellationToken cancellationToken)
    {
        if (node is null)
        {
            return null;
        }

        // The diagnostic may cover the call, a part of it, or the statement holding it.
        var candidates = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>()
            .Concat(node.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>());
        return candidates.FirstOrDefault(i => symbols.IsKmalloc(model.GetSymbolInfo(i, cancellationToken).Symbol as IMethodSymbol));
    }

    private static InvocationExpressionSyntax? Rewrite(InvocationExpressionSyntax invocation, SemanticModel model, DmaSymbols symbols, CancellationToken cancellationToken)
    {
        if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || operation.TargetMethod.Parameters.FirstOrDefault(p => p.Name == FlagsParameter && symbols.IsGfp(p.Type)) is not { } flags)
        {
            return null;
        }

        var argument = operation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter, flags));
        if (argument is { ArgumentKind: ArgumentKind.Explicit, Syntax: ArgumentSyntax written })
        {
            var value = argument.Value.ConstantValue;
            if (value.HasValue && value.Value is int bits && (bits & DmaSymbols.GfpDmaAlignedValue) != 0)
            {
                return null;
            }

            var merged = value.HasValue && value.Value is 0
                ? Names.GfpDmaAligned()
                : SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, Operand(written.Expression), Names.GfpDmaAligned());
            return invocation.ReplaceNode(written, written.WithExpression(merged.WithTriviaFrom(written.Expression)));
        }

        var arguments = invocation.ArgumentList.Arguments;
        var positional = arguments.Count == flags.Ordinal && arguments.All(a => a.NameColon is null);
        var added = positional
            ? SyntaxFactory.Argument(Names.GfpDmaAligned())
            : SyntaxFactory.Argument(SyntaxFactory.NameColon(FlagsParameter), default, Names.GfpDmaAligned());
        return invocation.WithArgumentList(invocation.ArgumentList.WithArguments(arguments.Add(added)));
    }

    // '|' binds tighter than ?:, ??, || and && and looser than everything else a flag is written with.
    private static ExpressionSyntax Operand(ExpressionSyntax expression) =>
        expression is ConditionalExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax
            or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression or (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.LogicalAndExpression }
            ? SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia())
            : expression.WithoutTrivia();
}
