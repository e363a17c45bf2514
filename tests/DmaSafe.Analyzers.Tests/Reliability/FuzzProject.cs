using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>
/// A project as an IDE holds it (AdhocWorkspace): its C# files, a global config with the DmaSafe options and any
/// bounce profiles as AdditionalFiles. Inputs are made by replacing one document's text, so the other documents'
/// trees and the compilation of everything else are reused.
/// </summary>
internal sealed class FuzzProject
{
    private FuzzProject(string name, Solution solution, ProjectId projectId, ImmutableArray<DocumentId> documents)
    {
        Name = name;
        Solution = solution;
        ProjectId = projectId;
        Documents = documents;
    }

    public string Name { get; }

    public Solution Solution { get; }

    public ProjectId ProjectId { get; }

    public ImmutableArray<DocumentId> Documents { get; }

    public Project Project => Solution.GetProject(ProjectId)!;

    public static FuzzProject Create(
        string name,
        IEnumerable<(string Path, string Text)> files,
        IEnumerable<MetadataReference> references,
        IEnumerable<(string Path, string Text)>? additionalFiles = null,
        string? globalConfig = null)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId(name);
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            name,
            name,
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
            metadataReferences: references.Distinct()));
        var documents = ImmutableArray.CreateBuilder<DocumentId>();
        foreach (var (path, text) in files)
        {
            var id = DocumentId.CreateNewId(projectId, path);
            solution = solution.AddDocument(id, System.IO.Path.GetFileName(path), SourceText.From(text), filePath: path);
            documents.Add(id);
        }

        foreach (var (path, text) in additionalFiles ?? Enumerable.Empty<(string, string)>())
        {
            solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId, path), System.IO.Path.GetFileName(path), SourceText.From(text), filePath: path);
        }

        if (globalConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId),
                ".globalconfig",
                SourceText.From("is_global = true\n" + globalConfig + "\n"),
                filePath: "/fuzz/.globalconfig");
        }

        return new FuzzProject(name, solution, projectId, documents.ToImmutable());
    }

    /// <summary>References for the repository's own projects: .NET 10, the runtime, Roslyn and the test libraries.</summary>
    public static ImmutableArray<MetadataReference> RepositoryReferences { get; } = TestReferences.All.AddRange(new[]
    {
        typeof(Microsoft.CodeAnalysis.Compilation),
        typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation),
        typeof(Microsoft.CodeAnalysis.Workspace),
        typeof(Microsoft.CodeAnalysis.CSharp.Formatting.CSharpFormattingOptions),
        typeof(Xunit.Assert),
        typeof(Xunit.FactAttribute),
        typeof(CsCheck.Gen),
        typeof(Microsoft.CodeAnalysis.Testing.DiagnosticResult),
    }.Select(type => (MetadataReference)MetadataReference.CreateFromFile(type.Assembly.Location)).Distinct());

    public string Text(DocumentId document) => Solution.GetDocument(document)!.GetTextAsync().Result.ToString();

    public Project WithText(DocumentId document, string text) => Solution.WithDocumentText(document, SourceText.From(text)).GetProject(ProjectId)!;
}
