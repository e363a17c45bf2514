using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>
/// VerifyCS for one analyzer and one fixer: .NET 10 reference assemblies and the real DmaSafe.Runtime, unsafe code
/// on, newest C#. The fixed code is compiled too (compiler errors fail the test), and Fix All is run at document,
/// project and solution scope against the same expected output.
/// </summary>
public static class CodeFixVerifier<TAnalyzer, TFixer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFixer : CodeFixProvider, new()
{
    /// <summary>An expected diagnostic with the given ID.</summary>
    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TFixer, DefaultVerifier>.Diagnostic(id);

    /// <summary>Applies the fix with <paramref name="equivalenceKey"/> to every diagnostic in <paramref name="source"/> and compares with <paramref name="fixedSource"/>.</summary>
    /// <remarks>
    /// <paramref name="behaviors"/>: DMA001 is reported at compilation end (it must see every mapping of a field first),
    /// which the testing library calls non-local; its tests pass <see cref="CodeFixTestBehaviors.SkipLocalDiagnosticCheck"/>.
    /// </remarks>
    public static Task VerifyFixAsync(string source, string fixedSource, string equivalenceKey, CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None)
    {
        var test = new Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            CodeFixTestBehaviors = behaviors,
        };
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The test with DmaSafe's defaults.</summary>
    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TFixer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.None;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
            FixedState.AdditionalReferences.AddRange(TestReferences.All);
            SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var compilationOptions = ((CSharpCompilationOptions)project.CompilationOptions!)
                    .WithAllowUnsafe(true)
                    .WithNullableContextOptions(NullableContextOptions.Enable);
                var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Preview);
                return solution.WithProjectCompilationOptions(projectId, compilationOptions)
                    .WithProjectParseOptions(projectId, parseOptions);
            });
        }
    }
}
