using System.Collections.Immutable;
using System.Linq;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Flow;

/// <summary>Compiles a snippet and returns the sink uses of its method named M, as the analyzers see them.</summary>
internal static class FlowTestHelper
{
    public static ImmutableArray<SinkUse> SinkUsesOfM(string source)
    {
        var compilation = TestReferences.Compile(TestReferences.All, source);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var symbols = DmaSymbols.TryCreate(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
        Assert.NotNull(symbols);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "M");
        var body = model.GetOperation(method)!;
        var flow = new SinkFlowAnalysis(symbols!, ImmutableArray.Create(body));
        return body.Descendants()
            .Where(op => op is IInvocationOperation or IObjectCreationOperation)
            .SelectMany(op => flow.SinkUsesOf(op))
            .ToImmutableArray();
    }

    public static string Describe(SinkUse use) => use.Path.RootKind + ":" + use.Path;
}
