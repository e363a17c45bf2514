using DmaSafe.Analyzers.Profiles;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Profiles;

public sealed class BounceProfileFileTests
{
    private const string Valid = """
        {
          "schema": "dmasafe.bounces/1",
          "lineSize": 128,
          "totalBounces": 12,
          "sites": [
            {
              "allocation": { "file": "/src/Driver.cs", "line": 10, "member": "Probe" },
              "map": { "file": "/src/Driver.cs", "line": 20, "member": "Read" },
              "count": 12,
              "bytes": 384,
              "directions": { "FromDevice": 12 },
              "offsetInLine": [ { "value": 8, "count": 12 } ],
              "exampleStack": null
            }
          ]
        }
        """;

    [Fact]
    public void ReadsSitesAndIgnoresExtraMembers()
    {
        var profile = BounceProfileFile.Parse("a.dmabounces.json", Valid);
        Assert.Null(profile.Error);
        var site = Assert.Single(profile.Sites);
        Assert.Equal("/src/Driver.cs", site.Allocation.File);
        Assert.Equal(10, site.Allocation.Line);
        Assert.Equal("Read", site.Map.Member);
        Assert.Equal(12, site.Count);
        Assert.Equal(384, site.Bytes);
        Assert.Equal("Probe (Driver.cs:10)", site.Allocation.ToString());
    }

    [Theory]
    [InlineData("not json", "not valid JSON (unexpected character 'n' at line 1, column 1)")]
    [InlineData("[]", "a bounce profile is a JSON object with \"schema\" and \"sites\"")]
    [InlineData("{\"sites\":[]}", "no \"schema\" string; expected \"dmasafe.bounces/1\"")]
    [InlineData("{\"schema\":\"dmasafe.bounces/2\",\"sites\":[]}", "schema \"dmasafe.bounces/2\" is not supported; this analyzer reads \"dmasafe.bounces/1\"")]
    [InlineData("{\"schema\":\"dmasafe.bounces/1\"}", "no \"sites\" array")]
    [InlineData("{\"schema\":\"dmasafe.bounces/1\",\"sites\":[1]}", "sites[0] (line 1) is not an object")]
    [InlineData("{\"schema\":\"dmasafe.bounces/1\",\"sites\":[{\"map\":{\"file\":\"a\",\"line\":1},\"count\":1,\"bytes\":1}]}", "sites[0] (line 1).allocation is missing or not an object {file, line, member}")]
    [InlineData("{\"schema\":\"dmasafe.bounces/1\",\"sites\":[{\"allocation\":{\"file\":\"a\",\"line\":1.5},\"map\":{\"file\":\"a\",\"line\":1},\"count\":1,\"bytes\":1}]}", "sites[0] (line 1).allocation has no non-negative integer \"line\"")]
    [InlineData("{\"schema\":\"dmasafe.bounces/1\",\"sites\":[{\"allocation\":{\"file\":\"a\",\"line\":1},\"map\":{\"file\":\"a\",\"line\":1},\"count\":-1,\"bytes\":1}]}", "sites[0] (line 1).count is not a non-negative integer")]
    public void ForeignOrBrokenProfilesSayWhy(string json, string error)
    {
        var profile = BounceProfileFile.Parse("x.dmabounces.json", json);
        Assert.Equal(error, profile.Error);
        Assert.Empty(profile.Sites);
    }

    [Theory]
    [InlineData("/home/ci/work/repo/src/Driver.cs", "/home/ci/work/repo/src/Driver.cs", true)]
    [InlineData("/home/ci/work/repo/src/Driver.cs", "C:\\Users\\me\\repo\\src\\Driver.cs", true)]
    [InlineData("/_/src/Driver.cs", "/work/repo/src/Driver.cs", true)]
    [InlineData("Driver.cs", "/work/repo/src/Driver.cs", true)]
    [InlineData("/a/src/Driver.cs", "/a/test/Driver.cs", false)]
    [InlineData("/a/src/Driver.cs", "/a/src/Other.cs", false)]
    [InlineData("", "/a/src/Driver.cs", false)]
    public void PathMatching(string recorded, string tree, bool expected) => Assert.Equal(expected, SourcePathMatch.Matches(recorded, tree));
}
