using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DmaSafe.Package.Tests.Infrastructure;
using Xunit;

namespace DmaSafe.Package.Tests;

/// <summary>The quick fix from the command line: `dotnet format analyzers` applies DMA001's recommended (first) fix.</summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FormatFixTests
{
    private readonly PackedPackageFixture _package;

    public FormatFixTests(PackedPackageFixture package) => _package = package;

    [Fact]
    public async Task Dotnet_format_applies_the_DMA001_fix_after_which_the_build_is_clean_and_the_transfer_no_longer_bounces()
    {
        var project = ScratchProject.Create(_package, "Format", "net10.0");
        var program = project.WriteFile("Program.cs", ConsumerSources.Driver);

        var (before, beforeDiagnostics) = await project.BuildWithErrorLogAsync();
        Assert.True(before.ExitCode == 0, before.Describe());
        Assert.Single(ScratchProject.WithRule(beforeDiagnostics, "DMA001"));
        Assert.True(await BouncesAsync(project) > 0, "The driver as written should bounce: its buffer shares lines with Status and Count.");

        (await project.DotnetAsync("format", "analyzers", project.ProjectFile, "--diagnostics", "DMA001", "--severity", "info")).EnsureSuccess();

        var fixedSource = File.ReadAllText(program);
        Assert.NotEqual(ConsumerSources.Driver, fixedSource);
        // The recommended fix gives the buffer its own lines; accepting the bounce is the second action, not the one to apply.
        Assert.DoesNotContain("DmaBounceOk", fixedSource, StringComparison.Ordinal);
        var (after, afterDiagnostics) = await project.BuildWithErrorLogAsync();
        Assert.True(after.ExitCode == 0, after.Describe());
        var remaining = afterDiagnostics.Where(d => d.Level is "warning" or "error").ToList();
        Assert.True(remaining.Count == 0, $"The fixed build still reports:{Environment.NewLine}{string.Join(Environment.NewLine, remaining)}{Environment.NewLine}Fixed source:{Environment.NewLine}{fixedSource}");
        Assert.Equal(0, await BouncesAsync(project));
    }

    /// <summary>Runs the built driver and returns the bounce count it printed.</summary>
    private static async Task<long> BouncesAsync(ScratchProject project)
    {
        var run = (await project.RunBuiltAsync("net10.0")).EnsureSuccess();
        var match = Regex.Match(run.StandardOutput, @"^bounces=(\d+)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, "The driver printed no bounce count: " + run.Describe());
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
