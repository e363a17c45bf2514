using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Threading.Tasks;
using DmaSafe.Package.Tests.Infrastructure;
using Xunit;

namespace DmaSafe.Package.Tests;

/// <summary>A fresh project that references the package: builds, diagnostics, MSBuild integration.</summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ConsumerBuildTests
{
    private readonly PackedPackageFixture _package;

    public ConsumerBuildTests(PackedPackageFixture package) => _package = package;

    [Theory]
    [InlineData("net10.0", ".NETCoreApp,Version=v10.0")]
    [InlineData("net8.0", ".NETCoreApp,Version=v8.0")]
    public async Task Build_reports_DMA001_on_the_buffer_field_identifier_and_uses_the_runtime_for_the_consumers_framework(string targetFramework, string runtimeFramework)
    {
        var project = ScratchProject.Create(_package, "Driver", targetFramework);
        var program = project.WriteFile("Program.cs", ConsumerSources.Driver);

        var (build, diagnostics) = await project.BuildWithErrorLogAsync();

        Assert.True(build.ExitCode == 0, build.Describe());
        var expected = SourcePosition.Of(ConsumerSources.Driver, ConsumerSources.DriverBufferLine, "Rx");
        var dma001 = ScratchProject.WithRule(diagnostics, "DMA001");
        var only = Assert.Single(dma001);
        Assert.Equal("warning", only.Level);
        Assert.Equal(program, only.File);
        Assert.Equal((expected.Line, expected.Column, expected.Line, expected.Column + "Rx".Length), (only.StartLine, only.StartColumn, only.EndLine, only.EndColumn));
        Assert.Contains("'Rx'", only.Message, StringComparison.Ordinal);
        Assert.Contains("128-byte", only.Message, StringComparison.Ordinal);

        var copied = Path.Combine(project.Directory, "bin", "Debug", targetFramework, "DmaSafe.Runtime.dll");
        Assert.True(File.Exists(copied), $"{copied} was not copied to the output.");
        using var pe = new PEReader(File.OpenRead(copied));
        Assert.Equal(runtimeFramework, AssemblyFacts.TargetFramework(pe.GetMetadataReader()));
    }

    [Fact]
    public async Task DmaSafeDmaMinAlign_sets_the_analyzer_line_size_and_a_users_editorconfig_or_globalconfig_still_wins()
    {
        var project = ScratchProject.Create(_package, "LineSize", "net10.0");
        project.WriteFile("Program.cs", ConsumerSources.LineSizeProbe);
        var expected = SourcePosition.Of(ConsumerSources.LineSizeProbe, ConsumerSources.ProbeBufferLine, "Rx");

        var (defaultBuild, byDefault) = await project.BuildWithErrorLogAsync();
        Assert.True(defaultBuild.ExitCode == 0, defaultBuild.Describe());
        var flagged = Assert.Single(ScratchProject.WithRule(byDefault, "DMA001"));
        Assert.Equal(expected.Line, flagged.StartLine);

        var (smallBuild, withSmallLines) = await project.BuildWithErrorLogAsync("-p:DmaSafeDmaMinAlign=64");
        Assert.True(smallBuild.ExitCode == 0, smallBuild.Describe());
        Assert.True(ScratchProject.WithRule(withSmallLines, "DMA001").Length == 0, "With 64-byte lines the probe's buffer owns line 1, yet: " + string.Join("; ", withSmallLines));
        var generated = File.ReadAllText(Path.Combine(project.Directory, "obj", "Debug", "net10.0", "DmaSafe.generated.globalconfig"));
        Assert.Contains("dmasafe.dma_minalign = 64", generated, StringComparison.Ordinal);

        project.WriteFile(".editorconfig", "root = true\n\n[*.cs]\ndmasafe.dma_minalign = 128\n");
        var (overriddenBuild, overridden) = await project.BuildWithErrorLogAsync("-p:DmaSafeDmaMinAlign=64");
        Assert.True(overriddenBuild.ExitCode == 0, overriddenBuild.Describe());
        Assert.Single(ScratchProject.WithRule(overridden, "DMA001"));
        Assert.DoesNotContain("DMA900", overriddenBuild.StandardOutput, StringComparison.Ordinal);

        // A user's own .globalconfig outranks the generated one (global_level -1): no conflict warning, the user's value counts.
        File.Delete(Path.Combine(project.Directory, ".editorconfig"));
        project.WriteFile(".globalconfig", "is_global = true\ndmasafe.dma_minalign = 128\n");
        var (globalBuild, withUserGlobalConfig) = await project.BuildWithErrorLogAsync("-p:DmaSafeDmaMinAlign=64");
        Assert.True(globalBuild.ExitCode == 0, globalBuild.Describe());
        Assert.Single(ScratchProject.WithRule(withUserGlobalConfig, "DMA001"));
        Assert.True(withUserGlobalConfig.All(d => d.Level != "warning" || d.RuleId == "DMA001"), "Unexpected warnings: " + string.Join("; ", withUserGlobalConfig));
    }

    [Fact]
    public async Task An_invalid_DmaSafeDmaMinAlign_fails_the_build_naming_the_property_and_the_value()
    {
        var project = ScratchProject.Create(_package, "BadLine", "net10.0", extraProperties: "<DmaSafeDmaMinAlign>100</DmaSafeDmaMinAlign>");
        project.WriteFile("Program.cs", ConsumerSources.LineSizeProbe);

        var build = await project.DotnetAsync("build", project.ProjectFile);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("DMASAFE0001", build.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("DmaSafeDmaMinAlign is '100'", build.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bounce_profiles_under_the_project_folder_become_AdditionalFiles_exactly_once()
    {
        // The user lists one profile already, spelled differently from the glob's result; bin/ and obj/ are never searched.
        var project = ScratchProject.Create(_package, "Profiles", "net10.0", extraItems: "<AdditionalFiles Include=\"./listed.dmabounces.json\" />");
        project.WriteFile("Program.cs", ConsumerSources.LineSizeProbe);
        var listed = project.WriteFile("listed.dmabounces.json", "{}");
        var nested = project.WriteFile(Path.Combine("profiles", "nested.dmabounces.json"), "{}");
        project.WriteFile(Path.Combine("bin", "Debug", "stale.dmabounces.json"), "{}");
        project.WriteFile(Path.Combine("obj", "stale.dmabounces.json"), "{}");
        project.WriteFile("other.json", "{}");
        (await project.DotnetAsync("restore", project.ProjectFile)).EnsureSuccess();

        var included = await AdditionalFilesAsync(project);
        Assert.Equal(new[] { listed, nested }.Order(StringComparer.Ordinal), included.Order(StringComparer.Ordinal));

        var optedOut = await AdditionalFilesAsync(project, "-p:DmaSafeIncludeBounceProfiles=false");
        Assert.Equal(new[] { listed }, optedOut);
    }

    /// <summary>The full paths of the project's AdditionalFiles as MSBuild evaluates them (what IDEs and the compiler get).</summary>
    private static async Task<string[]> AdditionalFilesAsync(ScratchProject project, params string[] extra)
    {
        var result = (await project.DotnetAsync(new[] { "msbuild", project.ProjectFile, "-getItem:AdditionalFiles" }.Concat(extra).ToArray())).EnsureSuccess();
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.GetProperty("Items").GetProperty("AdditionalFiles").EnumerateArray()
            .Select(item => item.GetProperty("FullPath").GetString() ?? "")
            .ToArray();
    }
}
