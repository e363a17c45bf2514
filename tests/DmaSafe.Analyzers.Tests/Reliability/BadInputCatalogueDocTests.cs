using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>docs/bad-input.md names only tests that exist: every <c>SomethingTests.Method</c> in it is a public test method in the repository's tests.</summary>
public sealed class BadInputCatalogueDocTests
{
    [Fact]
    public void Every_test_the_catalogue_names_exists()
    {
        var catalogue = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "bad-input.md"));
        var named = Regex.Matches(catalogue, @"`([A-Z][A-Za-z0-9]+Tests)\.([A-Za-z0-9_]+)`").Select(m => (Class: m.Groups[1].Value, Method: m.Groups[2].Value)).Distinct().ToList();
        Assert.True(named.Count >= 60, $"the catalogue names only {named.Count} tests");

        var sources = RepositoryFiles.CSharpFiles("tests");
        var missing = named.Where(test => !sources.Any(file =>
                Regex.IsMatch(file.Text, $@"\bclass {test.Class}\b") &&
                Regex.IsMatch(file.Text, $@"public (async )?(void|Task) {test.Method}\(")))
            .Select(test => $"{test.Class}.{test.Method}")
            .ToList();
        Assert.True(missing.Count == 0, "named in docs/bad-input.md but not a test: " + string.Join(", ", missing));
    }
}
