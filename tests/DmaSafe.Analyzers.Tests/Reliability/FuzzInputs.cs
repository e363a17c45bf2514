using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using DmaSafe.Analyzers.Tests.Corpus;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>
/// The projects the robustness tests break: the DriverSample, the driver corpus of the analyzer tests, and every
/// project of the repository; plus the knobs that size a run (<c>DMASAFE_FUZZ_ITERATIONS</c> random mutants,
/// <c>DMASAFE_FUZZ_EVERY_TOKEN=1</c> for every prefix and deletion instead of an even spread).
/// </summary>
internal static class FuzzInputs
{
    /// <summary>Token positions per project for prefixes and deletions in CI.</summary>
    public const int CiPositionsPerProject = 80;

    public static int MutantCount =>
        int.TryParse(Environment.GetEnvironmentVariable("DMASAFE_FUZZ_ITERATIONS"), out var count) && count > 0 ? count : 60;

    public static bool EveryToken => Environment.GetEnvironmentVariable("DMASAFE_FUZZ_EVERY_TOKEN") == "1";

    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("DMASAFE_FUZZ_SEED"), out var seed) ? seed : 7;

    /// <summary>Options the analyzers read, set as a user would.</summary>
    public const string GlobalConfig = "dmasafe.dma_minalign = 128\ndmasafe.dma_sinks = M:System.Runtime.InteropServices.NativeMemory.Clear(System.Void*,System.UIntPtr)";

    /// <summary>samples/DriverSample with a bounce profile naming its real allocation and map sites, so DMA004 has work.</summary>
    public static FuzzProject Sample()
    {
        var files = RepositoryFiles.CSharpFiles("samples/DriverSample");
        var references = TestReferences.All.AddRange(OptionalPackage("system.commandline", "3.0.0", "net10.0", "System.CommandLine.dll"));
        return FuzzProject.Create("DriverSample", files, references, new[] { ("/fuzz/sample.dmabounces.json", ProfileFor(files)) }, GlobalConfig);
    }

    /// <summary>
    /// The Linux driver ports of the analyzer tests' corpus (each before and after the 2022 alignment series, in
    /// namespaces of their own) with their kernel stand-ins: real driver-shaped code, one file per port.
    /// </summary>
    public static FuzzProject Corpus()
    {
        var files = RepositoryFiles.CSharpFiles(Path.Combine("tests", "DmaSafe.Analyzers.Tests", "Corpus", "Ports"));
        return FuzzProject.Create("Corpus", files, TestReferences.All, new[] { ("/fuzz/corpus.dmabounces.json", ProfileFor(files)) }, GlobalConfig);
    }

    /// <summary>One repository project (the folder of a .csproj), all its files compiled together.</summary>
    public static FuzzProject RepositoryProject(string folder)
    {
        var nested = RepositoryFiles.ProjectFolders().Where(other => other != folder && other.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        var files = RepositoryFiles.CSharpFiles(folder)
            .Where(file => !nested.Any(n => file.Path.StartsWith(Path.Combine(RepositoryFiles.Root, n) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .ToList();
        return FuzzProject.Create(folder, files, FuzzProject.RepositoryReferences, new[] { ("/fuzz/repo.dmabounces.json", ProfileFor(files)) }, GlobalConfig);
    }

    /// <summary>
    /// A dmasafe.bounces/1 profile that pairs every map call of a file with the first allocation call of that file,
    /// at their real lines and members, so DMA004 reports on the unbroken sources and must cope once they are broken.
    /// </summary>
    public static string ProfileFor(IEnumerable<(string Path, string Text)> files)
    {
        var sites = new List<string>();
        foreach (var (path, text) in files)
        {
            var root = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview)).GetRoot();
            var calls = root.DescendantNodes().OfType<InvocationExpressionSyntax>()
                .Select(call => (Call: call, Name: (call.Expression as MemberAccessExpressionSyntax)?.Name.Identifier.Text))
                .Where(c => c.Name is not null)
                .ToList();
            var allocation = calls.FirstOrDefault(c => c.Name is "Kmalloc" or "Kzalloc");
            if (allocation.Call is null)
            {
                continue;
            }

            foreach (var map in calls.Where(c => c.Name == "MapSingle"))
            {
                sites.Add($$"""
                    { "allocation": { "file": {{Json(path)}}, "line": {{Line(allocation.Call)}}, "member": {{Json(Member(allocation.Call))}} },
                      "map": { "file": {{Json(path)}}, "line": {{Line(map.Call)}}, "member": {{Json(Member(map.Call))}} },
                      "count": 4096, "bytes": 65536, "directions": { "FromDevice": 4096 } }
                    """);
            }
        }

        return "{ \"schema\": \"dmasafe.bounces/1\", \"lineSize\": 128, \"sites\": [" + string.Join(",\n", sites) + "] }";
    }

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static string Member(SyntaxNode node) =>
        node.Ancestors().OfType<MemberDeclarationSyntax>().Select(m => m switch
        {
            MethodDeclarationSyntax method => method.Identifier.Text,
            ConstructorDeclarationSyntax => ".ctor",
            PropertyDeclarationSyntax property => property.Identifier.Text,
            _ => null,
        }).FirstOrDefault(name => name is not null) ?? "<unknown>";

    private static string Json(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch { '"' => "\\\"", '\\' => "\\\\", _ => c.ToString() });
        }

        return text.Append('"').ToString();
    }

    private static IEnumerable<MetadataReference> OptionalPackage(string id, string version, string framework, string file)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, id, version, "lib", framework, file);
        return File.Exists(path) ? new[] { MetadataReference.CreateFromFile(path) } : Array.Empty<MetadataReference>();
    }
}
