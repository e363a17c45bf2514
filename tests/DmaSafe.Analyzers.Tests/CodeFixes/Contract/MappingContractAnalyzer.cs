using System.Collections.Immutable;
using System.Linq;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Tests.CodeFixes.Contract;

/// <summary>
/// DMA005 where issue 4 puts it: on the first use of a stored MapSingle/MapSg result when the method never checks
/// it (MappingError(x) or x == 0). Syntax-level and method-wide, unlike the real path-sensitive rule.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MappingContractAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDescriptors.Dma005);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (DmaSymbols.TryCreate(start.Compilation, start.Options) is not { } symbols)
            {
                return;
            }

            start.RegisterSyntaxNodeAction(node => Analyze(node, symbols), SyntaxKind.InvocationExpression);
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, DmaSymbols symbols)
    {
        var map = (InvocationExpressionSyntax)context.Node;
        var method = context.SemanticModel.GetSymbolInfo(map, context.CancellationToken).Symbol as IMethodSymbol;
        if (!symbols.IsMapSingle(method) && !symbols.IsMapSg(method))
        {
            return;
        }

        var target = map.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => context.SemanticModel.GetDeclaredSymbol(declarator, context.CancellationToken),
            AssignmentExpressionSyntax assignment => context.SemanticModel.GetSymbolInfo(assignment.Left, context.CancellationToken).Symbol,
            _ => null,
        };
        var body = map.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax);
        if (target is null || body is null)
        {
            return;
        }

        var uses = body.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(i => i.SpanStart > map.Span.End && SymbolEqualityComparer.Default.Equals(context.SemanticModel.GetSymbolInfo(i, context.CancellationToken).Symbol, target))
            .ToList();
        var checkedSomewhere = uses.Any(u =>
            u.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } && symbols.IsMappingError(context.SemanticModel.GetSymbolInfo(call, context.CancellationToken).Symbol as IMethodSymbol)
            || u.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression });
        if (!checkedSomewhere && uses.FirstOrDefault() is { } firstUse)
        {
            context.ReportDiagnostic(Diagnostic.Create(ContractDescriptors.Dma005, firstUse.GetLocation(), target.Name));
        }
    }
}
