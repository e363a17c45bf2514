using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.CodeFixes.Actions;

/// <summary>
/// "Accept bouncing here" (DMA001, DMA002, DMA004): <c>[DmaBounceOk("TODO: …")]</c> on the narrowest declaration the
/// attribute may sit on: the flagged field for DMA001; for an allocation or mapping, the local function, accessor
/// or method around it, else the class or struct (constructors and properties cannot carry it). The reason is a
/// placeholder the user is meant to replace.
/// </summary>
internal static class AcceptBouncingFix
{
    /// <summary>The reason text written into the attribute.</summary>
    public const string ReasonPlaceholder = "TODO: why bouncing is fine here";

    public static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (await DiagnosticNodes.LoadAsync(document, cancellationToken).ConfigureAwait(false) is not var (root, model))
        {
            return document;
        }

        var symbols = DmaSymbols.TryCreate(model.Compilation, document.Project.AnalyzerOptions);
        var targets = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (DiagnosticNodes.Find(root, diagnostic) is { } node
                && Target(node, diagnostic.Id) is { } target
                && !AlreadyAccepted(target, model, symbols, cancellationToken))
            {
                targets.Add(target);
            }
        }

        if (targets.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(targets, (_, rewritten) => AttributeAdder.Add(rewritten, Attribute()));
        return await DocumentCleanup.RunAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The declaration that gets the attribute, or null when no declaration around the node can carry it.</summary>
    public static SyntaxNode? Target(SyntaxNode node, string diagnosticId)
    {
        if (diagnosticId == DiagnosticIds.BufferSharesCacheLine && node.AncestorsAndSelf().OfType<FieldDeclarationSyntax>().FirstOrDefault() is { } flaggedField)
        {
            return flaggedField;
        }

        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case LocalFunctionStatementSyntax:
                case AccessorDeclarationSyntax:
                case MethodDeclarationSyntax:
                case OperatorDeclarationSyntax:
                case ConversionOperatorDeclarationSyntax:
                case FieldDeclarationSyntax:
                case ClassDeclarationSyntax:
                case StructDeclarationSyntax:
                case RecordDeclarationSyntax:
                    return ancestor;
                case InterfaceDeclarationSyntax:
                case EnumDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool AlreadyAccepted(SyntaxNode target, SemanticModel model, DmaSymbols? symbols, CancellationToken cancellationToken)
    {
        var symbol = target is FieldDeclarationSyntax field
            ? model.GetDeclaredSymbol(field.Declaration.Variables[0], cancellationToken)
            : model.GetDeclaredSymbol(target, cancellationToken);
        return symbols is not null && symbol is not null && DmaSymbols.HasAttribute(symbol, symbols.DmaBounceOkAttributes);
    }

    private static AttributeSyntax Attribute() =>
        SyntaxFactory.Attribute(
            Names.DmaSafe("DmaBounceOk"),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(ReasonPlaceholder))))));
}
