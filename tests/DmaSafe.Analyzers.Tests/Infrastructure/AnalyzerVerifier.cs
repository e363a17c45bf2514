using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace DmaSafe.Analyzers.Tests.Infrastructure;

/// <summary>
/// VerifyCS for one analyzer: Microsoft.CodeAnalysis.Testing with the .NET 10 reference assemblies from
/// Basic.Reference.Assemblies (nothing downloaded at test time), the real DmaSafe.Runtime assembly, unsafe code on,
/// the newest C# the test compiler knows. Markup: <c>[|…|]</c>, <c>{|DMA002:…|}</c>, <c>{|#0:…|}</c>.
/// </summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>An expected diagnostic of the analyzer's only (or first) descriptor.</summary>
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    /// <summary>An expected diagnostic with the given ID.</summary>
    public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

    /// <summary>An expected diagnostic of <paramref name="descriptor"/>.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Runs the analyzer on <paramref name="source"/> and compares with the markup plus <paramref name="expected"/>.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The test with DmaSafe's defaults; set <see cref="EditorConfig"/> or add AdditionalFiles as needed.</summary>
    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.None;
            TestState.AdditionalReferences.AddRange(TestReferences.All);
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

        /// <summary>Lines of a root .editorconfig section for every file, e.g. <c>dmasafe.dma_minalign = 64</c>.</summary>
        public string? EditorConfig { get; set; }

        /// <summary>Lines of a .globalconfig.</summary>
        public string? GlobalConfig { get; set; }

        /// <inheritdoc />
        protected override async Task RunImplAsync(CancellationToken cancellationToken)
        {
            if (EditorConfig is not null)
            {
                TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + EditorConfig + "\n"));
            }

            if (GlobalConfig is not null)
            {
                TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + GlobalConfig + "\n"));
            }

            // Rules add the sink or map calls as additional locations; tests name the primary location only, unless they
            // list more spans themselves.
            for (var i = 0; i < ExpectedDiagnostics.Count; i++)
            {
                if (ExpectedDiagnostics[i].Spans.Length <= 1)
                {
                    ExpectedDiagnostics[i] = ExpectedDiagnostics[i].WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
                }
            }

            await base.RunImplAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
