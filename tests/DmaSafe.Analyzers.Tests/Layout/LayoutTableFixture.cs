using System;
using System.Linq;
using System.Reflection;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>
/// The layout table compiled once: as source (the engine reads attributes), as a referenced PE image (the engine
/// reads metadata), and loaded into this process (the runtime's own answer).
/// </summary>
internal sealed class LayoutTableFixture
{
    private static readonly Lazy<LayoutTableFixture> Shared = new(() => new LayoutTableFixture());

    private LayoutTableFixture()
    {
        SourceCompilation = TestCompiler.Compile(LayoutRows.Source(), "LayoutTable");
        var image = TestCompiler.Emit(SourceCompilation);
        Loaded = RuntimeLayoutProbe.Load(image, "LayoutTable");
        MetadataCompilation = TestCompiler.Compile("class Consumer { }", "LayoutTableConsumer", new[] { MetadataReference.CreateFromImage(image) });
        SourceEngine = new StructLayoutEngine(SourceCompilation);
        MetadataEngine = new StructLayoutEngine(MetadataCompilation);
    }

    public static LayoutTableFixture Instance => Shared.Value;

    public Compilation SourceCompilation { get; }

    public Compilation MetadataCompilation { get; }

    public Assembly Loaded { get; }

    public StructLayoutEngine SourceEngine { get; }

    public StructLayoutEngine MetadataEngine { get; }

    public TypeLayout FromSource(LayoutRow row) => SourceEngine.GetLayout(Find(SourceCompilation, row.MetadataName));

    public TypeLayout FromMetadata(LayoutRow row) => MetadataEngine.GetLayout(Find(MetadataCompilation, row.MetadataName));

    public RuntimeLayoutProbe.Measured Measure(LayoutRow row) =>
        RuntimeLayoutProbe.Measure(Loaded.GetType(row.MetadataName, throwOnError: true)!);

    public int? MeasureAlignment(LayoutRow row)
    {
        if (row.IsRefStruct)
        {
            return null;
        }

        var probe = RuntimeLayoutProbe.Measure(Loaded.GetType(row.Namespace + ".AlignProbe", throwOnError: true)!);
        return probe.Offsets["value"];
    }

    private static INamedTypeSymbol Find(Compilation compilation, string metadataName) =>
        compilation.GetTypeByMetadataName(metadataName) ??
        compilation.References.Select(compilation.GetAssemblyOrModuleSymbol).OfType<IAssemblySymbol>()
            .Select(a => a.GetTypeByMetadataName(metadataName)).FirstOrDefault(t => t is not null) ??
        throw new InvalidOperationException($"type {metadataName} not found");
}
