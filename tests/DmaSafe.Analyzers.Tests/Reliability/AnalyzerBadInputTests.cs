using System;
using System.Linq;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>
/// Malformed options and profiles reach every analyzer at once: none throws, the rules keep working on their
/// defaults, a known option with an unusable value is reported (DMA900) and an unknown key is ignored.
/// </summary>
public sealed class AnalyzerBadInputTests
{
    private const string Driver = """
        using System;
        using DmaSafe;

        public unsafe struct Dev { public int Status; [DmaBuffer] public fixed byte Rx[100]; public int Count; }

        public static unsafe class Driver
        {
            public static void Read(Machine m, DmaDevice dev)
            {
                var d = m.Kmalloc<Dev>();
                var a = dev.MapSingle(d->Rx, 100, DmaDirection.FromDevice);
                if (dev.MappingError(a)) return;
                dev.UnmapSingle(a, 100, DmaDirection.FromDevice);
                byte* s = stackalloc byte[16];
                var b = dev.MapSingle(s, 16, DmaDirection.FromDevice);
                if (dev.MappingError(b)) return;
                dev.UnmapSingle(b, 16, DmaDirection.FromDevice);
            }
        }
        """;

    [Theory]
    [InlineData("dmasafe.dma_minalign = 0")]
    [InlineData("dmasafe.dma_minalign = 3")]
    [InlineData("dmasafe.dma_minalign = 1048576")]
    [InlineData("dmasafe.dma_minalign = -1")]
    [InlineData("dmasafe.dma_minalign = 99999999999999999999999")]
    [InlineData("dmasafe.dma_minalign = abc")]
    [InlineData("dmasafe.kmalloc_minalign = 7")]
    [InlineData("dmasafe.dma_sinks = M:Nope.Missing(System.Int32)")]
    public async Task An_unusable_option_value_is_reported_and_the_rules_keep_their_defaults(string option)
    {
        var diagnostics = await AnalyzeCleanlyAsync(option, profile: null);
        Assert.Contains(diagnostics, d => d.Id == "DMA900");
        Assert.Contains(diagnostics, d => d.Id == "DMA001");
        Assert.Contains(diagnostics, d => d.Id == "DMA003");
    }

    [Theory]
    [InlineData("dmasafe.dma_min_align = 64")]
    [InlineData("dmasafe.whatever = yes")]
    [InlineData("dmasafe. = 3")]
    public async Task Unknown_keys_are_ignored(string option)
    {
        var diagnostics = await AnalyzeCleanlyAsync(option, profile: null);
        Assert.DoesNotContain(diagnostics, d => d.Id == "DMA900");
        Assert.Contains(diagnostics, d => d.Id == "DMA001");
        Assert.Contains(diagnostics, d => d.Id == "DMA003");
    }

    [Theory]
    [InlineData("dmasafe.dma_sinks = ,,;;")]
    [InlineData("dmasafe.dma_minalign =")]
    public async Task Empty_values_are_tolerated(string option)
    {
        var diagnostics = await AnalyzeCleanlyAsync(option, profile: null);
        Assert.Contains(diagnostics, d => d.Id == "DMA001");
        Assert.Contains(diagnostics, d => d.Id == "DMA003");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{ \"schema\": \"someone-else/7\", \"sites\": [] }")]
    [InlineData("{ \"schema\": \"dmasafe.bounces/1\", \"lineSize\": 0, \"sites\": [] }")]
    [InlineData("{ \"schema\": \"dmasafe.bounces/1\", \"lineSize\": 128, \"sites\": [ { \"allocation\": { \"file\": \"/0/Test0.cs\", \"line\": -5, \"member\": \"Read\" }, \"map\": { \"file\": \"/0/Test0.cs\", \"line\": 99999999999, \"member\": \"Read\" }, \"count\": -1, \"bytes\": 1e400 } ] }")]
    [InlineData("{ \"schema\": \"dmasafe.bounces/1\", \"lineSize\": 128, \"sites\": [ { \"allocation\": null, \"map\": 3 } ] }")]
    [InlineData("\u0000\u0001\u00ff binary \ud800")]
    public async Task A_malformed_profile_never_breaks_the_analyzers(string profile)
    {
        var diagnostics = await AnalyzeCleanlyAsync(option: null, profile);
        Assert.Contains(diagnostics, d => d.Id == "DMA001");
        Assert.Contains(diagnostics, d => d.Id == "DMA003");
    }

    [Fact]
    public async Task A_deeply_nested_or_huge_profile_never_breaks_the_analyzers()
    {
        await AnalyzeCleanlyAsync(option: null, new string('[', 100_000) + new string(']', 100_000));
        var sites = string.Join(",", Enumerable.Range(0, 20_000).Select(i =>
            $$"""{ "allocation": { "file": "/0/Test0.cs", "line": {{i % 40}}, "member": "Read" }, "map": { "file": "/x{{i}}.cs", "line": 1, "member": "M" }, "count": 1, "bytes": 8, "directions": { "FromDevice": 1 } }"""));
        var diagnostics = await AnalyzeCleanlyAsync(option: null, "{ \"schema\": \"dmasafe.bounces/1\", \"lineSize\": 128, \"sites\": [" + sites + "] }");
        Assert.Contains(diagnostics, d => d.Id == "DMA003");
    }

    private static async Task<System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic>> AnalyzeCleanlyAsync(string? option, string? profile)
    {
        var harness = new RobustnessHarness();
        var project = FuzzProject.Create(
            "BadInput",
            new[] { ("/0/Test0.cs", Driver) },
            TestReferences.All,
            profile is null ? null : new[] { ("/0/bad.dmabounces.json", profile) },
            option);
        var diagnostics = await harness.AnalyzeAsync(project.Project, $"option '{option}', profile '{profile?[..Math.Min(profile.Length, 60)]}'");
        await harness.FixAsync(project.Project, diagnostics, "bad input");
        Assert.True(harness.FailureCount == 0, string.Join("\n\n", harness.Failures));
        return diagnostics;
    }
}
