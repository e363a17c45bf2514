using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Meta;

/// <summary>Every rule's help link points at docs/rules/{id}.md, and that page exists and says what, why, how to fix.</summary>
public sealed class HelpLinkTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in RobustnessTests.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void LinkMatchesTheDocPage(string id)
    {
        foreach (var descriptor in RobustnessTests.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Where(d => d.Id == id))
        {
            Assert.Equal($"https://github.com/dmasafe/dmasafe/blob/main/docs/rules/{id}.md", descriptor.HelpLinkUri);
            Assert.Equal(Descriptors.Category, descriptor.Category);
            Assert.True(descriptor.IsEnabledByDefault);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        }

        var page = Path.Combine(RepositoryRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), page + " is missing");
        var text = File.ReadAllText(page);
        Assert.StartsWith("# " + id, text);
        foreach (var section in new[] { "## Why", "## How to fix", "## Options", "## Example" })
        {
            Assert.Contains(section, text);
        }
    }

    [Fact]
    public void ReleaseNotesListEveryRule()
    {
        var unshipped = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "DmaSafe.Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in RobustnessTests.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics))
        {
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DmaSafe.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("DmaSafe.sln not found above " + AppContext.BaseDirectory);
    }
}
