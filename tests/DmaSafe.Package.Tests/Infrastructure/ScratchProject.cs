using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>
/// A fresh console project in a temporary folder that references the packed DmaSafe package the way a user would:
/// a PackageReference, a nuget.config that adds the folder feed to the machine's own sources, nothing else.
/// </summary>
internal sealed class ScratchProject
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private ScratchProject(string directory, string name)
    {
        Directory = directory;
        Name = name;
    }

    /// <summary>The project folder.</summary>
    public string Directory { get; }

    /// <summary>The project (and assembly) name.</summary>
    public string Name { get; }

    /// <summary>The .csproj path.</summary>
    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    /// <summary>Creates the project folder with its .csproj and nuget.config.</summary>
    /// <param name="package">The packed package to reference.</param>
    /// <param name="name">The project name (also the folder's prefix).</param>
    /// <param name="targetFramework">net8.0 or net10.0.</param>
    /// <param name="extraProperties">More PropertyGroup content, e.g. <c>&lt;DmaSafeDmaMinAlign&gt;64&lt;/DmaSafeDmaMinAlign&gt;</c>.</param>
    /// <param name="extraItems">More ItemGroup content next to the PackageReference.</param>
    public static ScratchProject Create(PackedPackageFixture package, string name, string targetFramework, string extraProperties = "", string extraItems = "")
    {
        var project = new ScratchProject(package.NewScratchDirectory(name), name);
        project.WriteFile(name + ".csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="DmaSafe" Version="{package.Version}" />
                {extraItems}
              </ItemGroup>
            </Project>
            """);
        // No <clear/>: the scratch project restores from the machine's configured sources plus the folder feed.
        project.WriteFile("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="dmasafe-e2e-feed" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        return project;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="relativePath"/> under the project folder.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Reads a file under the project folder.</summary>
    public string ReadFile(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    /// <summary>Runs <c>dotnet</c> in the project folder.</summary>
    public Task<ProcessResult> DotnetAsync(params string[] arguments) => ProcessRunner.DotnetAsync(Directory, BuildTimeout, arguments);

    /// <summary>Runs the built program (Debug, <paramref name="targetFramework"/>) with <c>dotnet</c>, as `dotnet run --no-build` would, without evaluating the project again.</summary>
    public Task<ProcessResult> RunBuiltAsync(string targetFramework, params string[] arguments) =>
        DotnetAsync(new[] { Path.Combine(Directory, "bin", "Debug", targetFramework, Name + ".dll") }.Concat(arguments).ToArray());

    /// <summary>
    /// Rebuilds (so the compiler always runs and writes the log) with a SARIF 2.1 error log, which also holds
    /// info-level diagnostics, and returns the build's result with the log's results.
    /// </summary>
    public async Task<(ProcessResult Build, IReadOnlyList<SarifResult> Diagnostics)> BuildWithErrorLogAsync(params string[] extraArguments)
    {
        var log = Path.Combine(Directory, $"build-{Guid.NewGuid():N}.sarif");
        // MSBuild splits -p values at commas; %2C keeps ",version=2.1" inside ErrorLog.
        var arguments = new List<string> { "build", ProjectFile, "--no-incremental", $"-p:ErrorLog={log}%2Cversion=2.1" };
        arguments.AddRange(extraArguments);
        var build = await DotnetAsync(arguments.ToArray()).ConfigureAwait(false);
        var diagnostics = build.ExitCode == 0 || File.Exists(log) ? SarifLog.Read(log) : Array.Empty<SarifResult>();
        return (build, diagnostics);
    }

    /// <summary>The results with rule <paramref name="ruleId"/>, for assertions and their messages.</summary>
    public static SarifResult[] WithRule(IEnumerable<SarifResult> diagnostics, string ruleId) =>
        diagnostics.Where(d => d.RuleId == ruleId).ToArray();
}
