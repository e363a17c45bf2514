using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Meta;

/// <summary>No analyzer throws (no AD0001) on empty, half-typed or wrong code: every prefix of a realistic driver.</summary>
public sealed class RobustnessTests
{
    /// <summary>Every analyzer the analyzer assembly ships, found by reflection so new rules are covered automatically.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } =
        typeof(Descriptors).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type)
                && type.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .OrderBy(type => type.FullName, StringComparer.Ordinal)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .ToImmutableArray();

    [Fact]
    public void TheAssemblyShipsTheRules()
    {
        var ids = AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        foreach (var id in new[] { "DMA002", "DMA003", "DMA004", "DMA005", "DMA006", "DMA900" })
        {
            Assert.Contains(id, ids);
        }
    }

    [Fact]
    public async Task EmptySource()
    {
        var compilation = TestReferences.Compile(TestReferences.All, string.Empty);
        var files = ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/0/run.dmabounces.json", RealisticDriver.Profile));
        Assert.Empty(await AnalyzeAsync(compilation, files, new DictionaryOptionsProvider(new Dictionary<string, string>())));
    }

    [Fact]
    public async Task TheWholeDriverReportsWhatItShould()
    {
        var diagnostics = await RunAsync(RealisticDriver.Source, withProfile: true);
        var ids = diagnostics.Select(d => d.Id).ToHashSet();
        foreach (var id in new[] { "DMA002", "DMA003", "DMA004", "DMA005", "DMA006" })
        {
            Assert.True(ids.Contains(id), id + " missing from:\n" + string.Join("\n", diagnostics));
        }
    }

    [Fact]
    public async Task EveryPrefixOfARealisticDriver()
    {
        var text = RealisticDriver.Source;
        var baseline = TestReferences.Compile(TestReferences.All, string.Empty);
        var emptyTree = baseline.SyntaxTrees.Single();
        var failures = new ConcurrentBag<string>();
        var lengths = Enumerable.Range(0, text.Length + 1).ToArray();
        await Parallel.ForEachAsync(lengths, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (length, _) =>
        {
            try
            {
                // Replacing the tree keeps the bound references: each prefix costs a parse and the analysis only.
                var tree = CSharpSyntaxTree.ParseText(text.Substring(0, length), (CSharpParseOptions)emptyTree.Options, emptyTree.FilePath);
                await AnalyzeAsync(baseline.ReplaceSyntaxTree(emptyTree, tree), ProfileFiles, CompilerAnalyzerConfigOptionsProvider());
            }
            catch (Exception error)
            {
                failures.Add($"prefix of {length} characters: {error.Message}");
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
    }

    [Theory]
    [InlineData("class C { unsafe void M(DmaSafe.DmaDevice d) { d.MapSingle(")]
    [InlineData("class C { unsafe void M(DmaSafe.DmaDevice d) { var a = d.MapSingle(null, 1, (DmaSafe.DmaDirection)7); d.UnmapSingle(a, 1, default); } }")]
    [InlineData("class C { unsafe void M(DmaSafe.Machine m, DmaSafe.DmaDevice d) { var p = m.Kmalloc(-1); d.MapSingle(p, 1, 0); } }")]
    [InlineData("class C { unsafe void M(DmaSafe.Machine m, DmaSafe.DmaDevice d) { var p = m.Kmalloc(ulong.MaxValue); d.MapSingle(p, 1, 0); } }")]
    [InlineData("class C { unsafe void M(DmaSafe.Machine m, DmaSafe.DmaDevice d) { var p = m.Kmalloc((nuint)long.MaxValue); d.MapSingle(p, 1, 0); } }")]
    [InlineData("class C { unsafe void M(DmaSafe.Machine m, DmaSafe.DmaDevice d) { var p = m.Kmalloc((nuint)(1L << 62) + 1); d.MapSingle(p, 1, 0); } }")]
    [InlineData("class C { unsafe void M(DmaSafe.DmaDevice d) { d.MapSingle(Undefined.Thing->Buf, 1, DmaSafe.DmaDirection.FromDevice); } }")]
    [InlineData("class C { unsafe void M(DmaSafe.DmaDevice d) { byte* p = p; d.MapSingle(p, 1, DmaSafe.DmaDirection.FromDevice); } }")]
    [InlineData("class C { void M(DmaSafe.DmaDevice d) { var n = d.MapSg(default, DmaSafe.DmaDirection.None); goto L; L: d.UnmapSg(default, 0); } }")]
    [InlineData("struct S { [DmaSafe.DmaBuffer] public S Self; }")]
    [InlineData("namespace DmaSafe { public class DmaBufferAttribute : System.Attribute { } }")]
    public async Task BrokenAndOddCode(string source) => await RunAsync(source, withProfile: true);

    [Fact]
    public async Task GeneratedCodeIsSkipped()
    {
        var generated = "// <auto-generated/>\n" + RealisticDriver.Source;
        Assert.DoesNotContain(await RunAsync(generated, withProfile: false), d => d.Id.StartsWith("DMA00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NothingWithoutDmaSafe()
    {
        const string source = "unsafe class C { void M() { byte* p = stackalloc byte[4]; } }";
        var compilation = TestReferences.Compile(TestReferences.FrameworkOnly, source);
        Assert.Empty(await AnalyzeAsync(compilation, ImmutableArray<AdditionalText>.Empty, CompilerAnalyzerConfigOptionsProvider()));
    }

    private static readonly ImmutableArray<AdditionalText> ProfileFiles =
        ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/0/run.dmabounces.json", RealisticDriver.Profile));

    /// <summary>Runs every analyzer; throws when any analyzer throws or reports AD0001.</summary>
    private static async Task<ImmutableArray<Diagnostic>> RunAsync(string source, bool withProfile)
    {
        var compilation = TestReferences.Compile(TestReferences.All, source);
        var files = withProfile
            ? ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/0/run.dmabounces.json", RealisticDriver.Profile))
            : ImmutableArray<AdditionalText>.Empty;
        return await AnalyzeAsync(compilation, files, CompilerAnalyzerConfigOptionsProvider());
    }

    internal static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, ImmutableArray<AdditionalText> files, AnalyzerConfigOptionsProvider options)
    {
        var exceptions = new ConcurrentBag<string>();
        var analyzerOptions = new AnalyzerOptions(files, options);
        var withAnalyzers = compilation.WithAnalyzers(
            AllAnalyzers,
            new CompilationWithAnalyzersOptions(
                analyzerOptions,
                (error, analyzer, _) => exceptions.Add(analyzer.GetType().Name + ": " + error),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        var crashes = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).Concat(exceptions).ToList();
        if (crashes.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", crashes));
        }

        return diagnostics;
    }

    internal static AnalyzerConfigOptionsProvider CompilerAnalyzerConfigOptionsProvider() =>
        new DictionaryOptionsProvider(new Dictionary<string, string> { ["dmasafe.dma_sinks"] = "M:Sample.Spi.Adc.VirtToPhys(System.IntPtr)" });

    internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class DictionaryOptionsProvider(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly DictionaryOptions _options = new(values);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;
    }

    private sealed class DictionaryOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
