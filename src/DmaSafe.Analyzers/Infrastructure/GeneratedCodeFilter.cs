using System.Collections.Concurrent;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// DmaSafe skips generated code itself instead of leaving it to the driver. With
/// <see cref="GeneratedCodeAnalysisFlags.None"/> the driver, the first time an analyzer reports in a file, walks every
/// token of that file looking for <c>GeneratedCode</c> (the [GeneratedCode] check), which on a project with a
/// diagnostic in each of a few hundred files cost more than some whole rules. So the rules ask for
/// <see cref="Flags"/> and skip what the driver would have: files the driver calls generated (the contexts'
/// <c>IsGeneratedCode</c>), positions under <c>#line hidden</c> (and before the first <c>#line</c> of a file that has one), and code inside a declaration carrying
/// <c>[System.CodeDom.Compiler.GeneratedCode]</c>, looked up only in files whose text names it.
/// </summary>
internal sealed class GeneratedCodeFilter
{
    /// <summary>What every DmaSafe rule passes to <c>ConfigureGeneratedCodeAnalysis</c>: called everywhere, skipping by itself.</summary>
    public const GeneratedCodeAnalysisFlags Flags = GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics;

    private const string AttributeName = "GeneratedCode";

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol? _attribute;
    private readonly ConcurrentDictionary<SyntaxTree, bool> _mentionsAttribute = new();

    public GeneratedCodeFilter(Compilation compilation)
    {
        _compilation = compilation;
        _attribute = compilation.GetTypeByMetadataName("System.CodeDom.Compiler.GeneratedCodeAttribute");
    }

    /// <summary>True when a diagnostic at <paramref name="location"/> would have been dropped as generated code.</summary>
    public bool Hides(Location location, CancellationToken cancellation)
    {
        if (!location.IsInSource || location.SourceTree is not { } tree)
        {
            return false;
        }

        // As the driver reads #line: once a file hides some lines, what comes before its first #line is hidden too.
        if (tree.HasHiddenRegions()
            && tree.GetLineVisibility(location.SourceSpan.Start, cancellation) is LineVisibility.Hidden or LineVisibility.BeforeFirstLineDirective)
        {
            return true;
        }

        if (_attribute is null || !MentionsAttribute(tree, cancellation))
        {
            return false;
        }

        var model = _compilation.GetSemanticModel(tree);
        for (var node = tree.GetRoot(cancellation).FindNode(location.SourceSpan, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (IsDeclaration(node) && model.GetDeclaredSymbol(node, cancellation) is { } symbol && HasAttribute(symbol))
            {
                return true;
            }
        }

        return false;
    }

    // Once per file: a file reported in is usually reported in more than once.
    private bool MentionsAttribute(SyntaxTree tree, CancellationToken cancellation)
    {
        if (!_mentionsAttribute.TryGetValue(tree, out var mentions))
        {
            // A file parsed from a string hands that string back (no copy), as the block scan's text search relies on too.
            mentions = tree.GetText(cancellation).ToString().IndexOf(AttributeName, System.StringComparison.Ordinal) >= 0;
            _mentionsAttribute.TryAdd(tree, mentions);
        }

        return mentions;
    }

    /// <summary>A reporter that drops what is in generated code, for rules that hand a report delegate on.</summary>
    public System.Action<Diagnostic> Filtering(System.Action<Diagnostic> report, CancellationToken cancellation) =>
        diagnostic => Report(report, diagnostic, cancellation);

    /// <summary>Reports <paramref name="diagnostic"/> unless it is in generated code.</summary>
    public void Report(System.Action<Diagnostic> report, Diagnostic diagnostic, CancellationToken cancellation)
    {
        if (!Hides(diagnostic.Location, cancellation))
        {
            report(diagnostic);
        }
    }

    private static bool IsDeclaration(SyntaxNode node) =>
        node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax
            or AccessorDeclarationSyntax or LocalFunctionStatementSyntax
            or VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax };

    private bool HasAttribute(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _attribute))
            {
                return true;
            }
        }

        return false;
    }
}
