using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace DmaSafe.Analyzers.Tests.Infrastructure;

/// <summary>The references every analyzer test compiles against: .NET 10 reference assemblies and DmaSafe.Runtime.</summary>
public static class TestReferences
{
    /// <summary>No reference-assembly package: the testing library must not download anything.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>The DmaSafe runtime, as users reference it.</summary>
    public static MetadataReference Runtime { get; } = MetadataReference.CreateFromFile(typeof(DmaSafe.Machine).Assembly.Location);

    /// <summary>.NET 10 plus the runtime.</summary>
    public static ImmutableArray<MetadataReference> All { get; } =
        Net100.References.All.Cast<MetadataReference>().Append(Runtime).ToImmutableArray();

    /// <summary>.NET 10 only (for projects that declare their own attribute copies).</summary>
    public static ImmutableArray<MetadataReference> FrameworkOnly { get; } =
        Net100.References.All.Cast<MetadataReference>().ToImmutableArray();

    /// <summary>A compilation of <paramref name="sources"/> with unsafe code and the newest language version.</summary>
    public static CSharpCompilation Compile(ImmutableArray<MetadataReference> references, params string[] sources) =>
        Compile(references, sources.Select(source => ("/0/Test0.cs", source)).ToArray());

    /// <summary>The same, each file at its own path (generated-code rules read the file name).</summary>
    public static CSharpCompilation Compile(ImmutableArray<MetadataReference> references, params (string Path, string Source)[] files) =>
        CSharpCompilation.Create(
            "TestProject",
            files.Select(file => CSharpSyntaxTree.ParseText(file.Source, new CSharpParseOptions(LanguageVersion.Preview), path: file.Path)),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
}
