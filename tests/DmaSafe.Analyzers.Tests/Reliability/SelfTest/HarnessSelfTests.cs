using System;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.Infrastructure;
using DmaSafe.Analyzers.Tests.Reliability;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Reliability.SelfTest;

/// <summary>The robustness harness does catch what it looks for: a throwing analyzer, a throwing fixer, a fix that breaks the build.</summary>
public sealed class HarnessSelfTests
{
    private const string Source = "public sealed class C { public int M() => 1; }";

    [Fact]
    public async Task A_throwing_analyzer_is_reported()
    {
        var harness = new RobustnessHarness(ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer()), ImmutableArray<CodeFixProvider>.Empty);
        await harness.AnalyzeAsync(Project(), "self-test");
        Assert.Equal(1, harness.FailureCount);
        Assert.Contains("analyzer exception", harness.Failures[0], StringComparison.Ordinal);
        Assert.Contains("deliberate", harness.Failures[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_throwing_fixer_or_a_fix_that_adds_errors_is_reported(bool throwing)
    {
        var harness = new RobustnessHarness(ImmutableArray.Create<DiagnosticAnalyzer>(new EveryClassAnalyzer()), ImmutableArray.Create<CodeFixProvider>(new BadFixer(throwing)));
        var project = Project();
        var diagnostics = await harness.AnalyzeAsync(project, "self-test");
        Assert.Single(diagnostics);
        await harness.FixAsync(project, diagnostics, "self-test");
        Assert.Equal(1, harness.FailureCount);
        Assert.Contains(throwing ? "fixer exception" : "fix added compiler errors", harness.Failures[0], StringComparison.Ordinal);
    }

    private static Project Project() => FuzzProject.Create("SelfTest", new[] { ("/self/C.cs", Source) }, TestReferences.All).Project;

    private static readonly DiagnosticDescriptor Rule = new("SELF001", "self", "self", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => throw new InvalidOperationException("deliberate"), SymbolKind.NamedType);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EveryClassAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(c => c.ReportDiagnostic(Diagnostic.Create(Rule, c.Symbol.Locations[0])), SymbolKind.NamedType);
        }
    }

    [ExportCodeFixProvider(LanguageNames.CSharp), Shared]
    private sealed class BadFixer(bool throwing) : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Rule.Id);

        public override FixAllProvider? GetFixAllProvider() => null;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            if (throwing)
            {
                throw new InvalidOperationException("deliberate");
            }

            var broken = context.Document.WithText(Microsoft.CodeAnalysis.Text.SourceText.From(Source.Replace("=> 1;", "=> ;", StringComparison.Ordinal)));
            context.RegisterCodeFix(CodeAction.Create("break it", _ => Task.FromResult(broken), "break"), context.Diagnostics);
            return Task.CompletedTask;
        }
    }
}
