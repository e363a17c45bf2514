using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Layout;
using DmaSafe.Analyzers.Rules;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Corpus;

/// <summary>
/// DMA001 on C# ports of Linux IIO/SPI driver state structs from before and after the 2022 alignment series: every
/// buffer the device writes in a "before" struct is reported; nothing in the "after" structs. Buffers the device only
/// reads (tx, mapped ToDevice) are exempt in both, as the rule says.
/// </summary>
public sealed class CorpusTests
{
    private const string PortsNamespace = "DmaSafe.Analyzers.Tests.Corpus.Ports.";

    public static IReadOnlyList<CorpusDriver> Drivers => CorpusDrivers.All;

    public static IEnumerable<object[]> Names => Drivers.Select(d => new object[] { d.Name });

    [Fact]
    public void The_corpus_has_at_least_eight_drivers() => Assert.True(Drivers.Count >= 8);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Before_every_device_written_buffer_is_reported(string name)
    {
        var driver = Drivers.Single(d => d.Name == name);
        var (compilation, reported) = await AnalyzeAsync(Port("Before", driver.Struct));
        AssertFaithful(compilation, PortsNamespace + "Before." + driver.Struct, driver.AllBuffers[0], 64);
        Assert.Equal(driver.DeviceWrittenBuffers.OrderBy(n => n), reported.OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task After_nothing_is_reported(string name)
    {
        var driver = Drivers.Single(d => d.Name == name);
        var (compilation, reported) = await AnalyzeAsync(Port("After", driver.Struct));
        AssertFaithful(compilation, PortsNamespace + "After." + driver.Struct, driver.AllBuffers[0], 128);
        Assert.Empty(reported);
    }

    // Guards the ports themselves: the first buffer sits where the C attribute put it (64 for ____cacheline_aligned,
    // 128 for __aligned(IIO_DMA_MINALIGN)), so the test is about the real layouts, not about typos in the pads.
    private static void AssertFaithful(Compilation compilation, string structName, string firstBuffer, int alignment)
    {
        var type = compilation.GetTypeByMetadataName(structName)!;
        var layout = new StructLayoutEngine(compilation).GetLayout(type);
        Assert.True(layout.IsKnown, layout.ToString());
        var buffer = layout.Fields.Single(f => f.Name == firstBuffer);
        Assert.True(buffer.Offset % alignment == 0, $"{structName}.{firstBuffer} at {buffer.Offset}, not a multiple of {alignment}");
    }

    // The ports are compiled into this assembly too (so they stay valid C#); the analyzer sees their source text.
    private static string Port(string? phase, string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(phase is null
            ? Path.Combine(Path.GetDirectoryName(here)!, "Ports", name + ".cs")
            : Path.Combine(Path.GetDirectoryName(here)!, "Ports", phase, name + ".cs"));

    private static async Task<(Compilation Compilation, string[] Reported)> AnalyzeAsync(string port)
    {
        var compilation = TestReferences.Compile(TestReferences.All, Port(null, "KernelStandIns"), port);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BufferSharesCacheLineAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        var reported = diagnostics.Where(d => d.Id == "DMA001")
            .Select(d => d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length))
            .ToArray();
        return (compilation, reported);
    }
}
