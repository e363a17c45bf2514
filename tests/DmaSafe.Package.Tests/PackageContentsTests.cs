using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using DmaSafe.Package.Tests.Infrastructure;
using Xunit;

namespace DmaSafe.Package.Tests;

/// <summary>What the packed .nupkg holds and declares, read from the zip itself.</summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PackageContentsTests
{
    // The compiler every supported SDK and IDE ships is at least this; an analyzer built against a newer one is not loaded (CS8032).
    private static readonly Version RoslynFloor = new(4, 8, 0, 0);

    private readonly PackedPackageFixture _package;

    public PackageContentsTests(PackedPackageFixture package) => _package = package;

    [Fact]
    public void Package_holds_the_runtime_per_framework_the_analyzers_and_fixes_the_readme_and_the_msbuild_files()
    {
        using var archive = new PackageArchive(_package.PackagePath);

        var expected = new[]
        {
            "DmaSafe.nuspec",
            "README.md",
            "analyzers/dotnet/cs/DmaSafe.Analyzers.dll",
            "analyzers/dotnet/cs/DmaSafe.Analyzers.pdb",
            "analyzers/dotnet/cs/DmaSafe.CodeFixes.dll",
            "analyzers/dotnet/cs/DmaSafe.CodeFixes.pdb",
            "buildTransitive/DmaSafe.props",
            "buildTransitive/DmaSafe.targets",
            "lib/net10.0/DmaSafe.Runtime.dll",
            "lib/net10.0/DmaSafe.Runtime.pdb",
            "lib/net10.0/DmaSafe.Runtime.xml",
            "lib/net8.0/DmaSafe.Runtime.dll",
            "lib/net8.0/DmaSafe.Runtime.pdb",
            "lib/net8.0/DmaSafe.Runtime.xml",
        };
        Assert.Equal(expected.Order(StringComparer.Ordinal), archive.Files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Nuspec_declares_id_version_license_readme_repository_and_is_not_a_development_dependency()
    {
        using var archive = new PackageArchive(_package.PackagePath);
        var metadata = Child(archive.Nuspec(), "metadata");

        Assert.Equal("DmaSafe", Child(metadata, "id").Value);
        Assert.Equal(_package.Version, Child(metadata, "version").Value);
        var license = Child(metadata, "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("README.md", Child(metadata, "readme").Value);
        var repository = Child(metadata, "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.StartsWith("https://", (string?)repository.Attribute("url") ?? "", StringComparison.Ordinal);
        // A DevelopmentDependency would drop `compile` from users' assets and with it the runtime API.
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName == "developmentDependency" && e.Value.Trim() == "true");
    }

    [Fact]
    public void Nuspec_depends_on_exactly_the_runtimes_packages_for_both_frameworks_and_on_no_Roslyn_package()
    {
        using var archive = new PackageArchive(_package.PackagePath);
        var dependencies = Child(Child(archive.Nuspec(), "metadata"), "dependencies");
        var expected = RuntimePackageReferences();

        var groups = dependencies.Elements().Where(e => e.Name.LocalName == "group").ToList();
        Assert.Equal(new[] { "net10.0", "net8.0" }, groups.Select(g => (string?)g.Attribute("targetFramework") ?? "").Order(StringComparer.Ordinal));
        foreach (var group in groups)
        {
            var actual = group.Elements().Where(e => e.Name.LocalName == "dependency")
                .Select(d => ((string?)d.Attribute("id") ?? "", (string?)d.Attribute("version") ?? ""))
                .Order()
                .ToList();
            Assert.Equal(expected, actual);
        }

        var all = dependencies.Descendants().Where(e => e.Name.LocalName == "dependency").Select(d => (string?)d.Attribute("id") ?? "");
        Assert.DoesNotContain(all, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("net8.0", ".NETCoreApp,Version=v8.0")]
    [InlineData("net10.0", ".NETCoreApp,Version=v10.0")]
    public void Each_lib_folder_holds_the_runtime_built_for_that_framework_with_a_portable_pdb_and_docs(string folder, string framework)
    {
        using var archive = new PackageArchive(_package.PackagePath);

        Assert.Equal(framework, archive.ReadMetadata($"lib/{folder}/DmaSafe.Runtime.dll", AssemblyFacts.TargetFramework));
        Assert.Equal("BSJB", Encoding.ASCII.GetString(archive.Read($"lib/{folder}/DmaSafe.Runtime.pdb"), 0, 4));
        var docs = XDocument.Parse(Encoding.UTF8.GetString(archive.Read($"lib/{folder}/DmaSafe.Runtime.xml")));
        Assert.Contains(docs.Descendants("member"), m => (string?)m.Attribute("name") == "T:DmaSafe.Machine");
    }

    [Theory]
    [InlineData("DmaSafe.Analyzers")]
    [InlineData("DmaSafe.CodeFixes")]
    public void Analyzer_assemblies_target_netstandard20_and_reference_no_Roslyn_newer_than_the_floor(string name)
    {
        using var archive = new PackageArchive(_package.PackagePath);
        var path = $"analyzers/dotnet/cs/{name}.dll";

        Assert.Equal(".NETStandard,Version=v2.0", archive.ReadMetadata(path, AssemblyFacts.TargetFramework));
        var roslyn = archive.ReadMetadata(path, AssemblyFacts.References)
            .Where(r => r.Key.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(roslyn, r => r.Key == "Microsoft.CodeAnalysis");
        Assert.All(roslyn, r => Assert.True(r.Value <= RoslynFloor, $"{name} references {r.Key} {r.Value}, newer than {RoslynFloor}: older compilers would not load it (CS8032)."));
        Assert.Equal("BSJB", Encoding.ASCII.GetString(archive.Read($"analyzers/dotnet/cs/{name}.pdb"), 0, 4));
    }

    [Fact]
    public void Analyzer_assembly_does_not_reference_Workspaces()
    {
        using var archive = new PackageArchive(_package.PackagePath);

        var references = archive.ReadMetadata("analyzers/dotnet/cs/DmaSafe.Analyzers.dll", AssemblyFacts.References);

        Assert.DoesNotContain(references.Keys, name => name.Contains("Workspaces", StringComparison.Ordinal));
    }

    /// <summary>The runtime project's PackageReferences with their central versions: what the nuspec must repeat.</summary>
    private static List<(string Id, string Version)> RuntimePackageReferences()
    {
        var versions = XDocument.Load(RepositoryPaths.CentralPackageVersions).Descendants("PackageVersion")
            .ToDictionary(e => (string?)e.Attribute("Include") ?? "", e => (string?)e.Attribute("Version") ?? "", StringComparer.OrdinalIgnoreCase);
        return XDocument.Load(RepositoryPaths.RuntimeProject).Descendants("PackageReference")
            .Where(e => !string.Equals((string?)e.Attribute("PrivateAssets"), "all", StringComparison.OrdinalIgnoreCase))
            .Select(e => (string?)e.Attribute("Include") ?? "")
            .Select(id => (id, versions.TryGetValue(id, out var v) ? v : throw new InvalidDataException($"{id} has no PackageVersion in Directory.Packages.props.")))
            .Order()
            .ToList();
    }

    private static XElement Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName)
        ?? throw new InvalidDataException($"<{parent.Name.LocalName}> has no <{localName}>; it has: {string.Join(", ", parent.Elements().Select(e => e.Name.LocalName))}.");
}
