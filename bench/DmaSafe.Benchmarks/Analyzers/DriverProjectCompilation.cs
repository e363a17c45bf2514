using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Benchmarks.Analyzers.Generation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The generated project as csc would see it from <c>dotnet build</c> (Debug, unsafe, nullable, .NET 10 reference
/// assemblies plus DmaSafe.Runtime, the bounce profile as an AdditionalFile), parsed once. Each measured run starts
/// from <see cref="Fresh"/>: a new compilation over the same syntax trees and the same (already loaded) references, so
/// nothing bound by an earlier run is reused, as in a compiler-server build where parsing and metadata are warm.
/// </summary>
internal sealed class DriverProjectCompilation
{
    /// <summary>Where the sources seem to live (the syntax trees' paths).</summary>
    public const string ProjectRoot = "/synthetic/";

    private readonly CSharpCompilation _template;

    private DriverProjectCompilation(GeneratedProject project, CSharpCompilation template, AnalyzerOptions analyzerOptions)
    {
        Project = project;
        _template = template;
        AnalyzerOptions = analyzerOptions;
    }

    public GeneratedProject Project { get; }

    public AnalyzerOptions AnalyzerOptions { get; }

    public static DriverProjectCompilation Create(GeneratedProject project)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp13, DocumentationMode.None);
        var trees = project.Files
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), parseOptions, ProjectRoot + f.Path))
            .ToImmutableArray();
        var references = Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(Machine).Assembly.Location));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Debug,
            allowUnsafe: true,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true,
            concurrentBuild: true);
        var template = CSharpCompilation.Create("Synthetic.Drivers", trees, references, options);

        // Load every referenced assembly's symbols now, so no measured run pays for reading metadata.
        _ = template.GetDiagnostics(CancellationToken.None);
        var profile = new InMemoryAdditionalText(ProjectRoot + project.Profile.Path, project.Profile.Text);
        return new DriverProjectCompilation(project, template, new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(profile)));
    }

    /// <summary>A compilation with nothing bound yet, sharing the parsed trees and loaded references.</summary>
    public CSharpCompilation Fresh() => _template.Clone();

    /// <summary>Compiler diagnostics of a fresh compilation: declarations and every method body bound and flow-analysed.</summary>
    public ImmutableArray<Diagnostic> Compile() => Fresh().GetDiagnostics(CancellationToken.None);

    /// <summary>What csc does for a build: bind, lower and emit the assembly and its portable PDB (to null streams).</summary>
    public EmitResult Emit() =>
        Fresh().Emit(Stream.Null, pdbStream: Stream.Null, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));

    /// <summary>
    /// A build as csc runs it with <paramref name="build"/>'s analyzers: a fresh compilation emitted (to null streams)
    /// with the analyzer driver attached, fed by the emit pass's binding; returns the analyzers' diagnostics.
    /// </summary>
    public ImmutableArray<Diagnostic> EmitWithAnalyzers(CscStyleBuild build) => build.Run(Fresh()).AnalyzerDiagnostics;

    /// <summary>A csc-style build of this project's compilations with <paramref name="analyzers"/> and its AdditionalFiles.</summary>
    public CscStyleBuild CscStyle(ImmutableArray<DiagnosticAnalyzer> analyzers) => CscStyleBuild.For(analyzers, AnalyzerOptions);

    /// <summary>
    /// Compiler and analyzer diagnostics of a fresh compilation, as the analyzer driver of a build computes them: the
    /// compiler's GetDiagnostics feeds the driver its events while the analyzers run concurrently.
    /// </summary>
    public Task<ImmutableArray<Diagnostic>> CompileWithAnalyzersAsync(ImmutableArray<DiagnosticAnalyzer> analyzers) =>
        WithAnalyzers(analyzers, logExecutionTime: false).GetAllDiagnosticsAsync(CancellationToken.None);

    /// <summary>A fresh compilation with <paramref name="analyzers"/> attached, optionally timing each analyzer.</summary>
    public CompilationWithAnalyzers WithAnalyzers(ImmutableArray<DiagnosticAnalyzer> analyzers, bool logExecutionTime) =>
        Fresh().WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(
                AnalyzerOptions,
                onAnalyzerException: null,
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: logExecutionTime,
                reportSuppressedDiagnostics: false));
}
