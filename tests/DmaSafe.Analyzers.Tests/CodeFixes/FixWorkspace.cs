using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>
/// A one-document project in an AdhocWorkspace, as an IDE or <c>dotnet format</c> would hold it: .NET 10 references,
/// the runtime, unsafe code, an optional .editorconfig. Used to run fixes outside the verifier.
/// </summary>
internal static class FixWorkspace
{
    public static Document CreateDocument(string source, string? editorConfig = null)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "Driver",
                "Driver",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
                metadataReferences: TestReferences.All));
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Driver.cs", SourceText.From(source), filePath: "/src/Driver.cs");
        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId),
                ".editorconfig",
                SourceText.From("root = true\n\n[*.cs]\n" + editorConfig + "\n"),
                filePath: "/src/.editorconfig");
        }

        return solution.GetDocument(documentId)!;
    }

    /// <summary>The diagnostics <paramref name="analyzer"/> reports on the document's project.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document, DiagnosticAnalyzer analyzer)
    {
        var compilation = (await document.Project.GetCompilationAsync(CancellationToken.None).ConfigureAwait(false))!;
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer), document.Project.AnalyzerOptions);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    /// <summary>Compiler errors of the document's project.</summary>
    public static async Task<ImmutableArray<Diagnostic>> ErrorsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync(CancellationToken.None).ConfigureAwait(false))!;
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
    }
}
