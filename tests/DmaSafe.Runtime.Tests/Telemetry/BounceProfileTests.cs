using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CsCheck;
using Xunit;

namespace DmaSafe.Runtime.Tests.Telemetry;

public sealed class BounceProfileTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    // Paths as compilers pass them, including the awkward ones: spaces, quotes, backslashes, non-ASCII.
    private static readonly SourceSite[] Allocations =
    [
        new("Probe", "/src/Driver/Probe.cs", 12),
        new("Setup", @"C:\src\My Driver\Setup.cs", 7),
        new("Init \"quoted\"", "/src/Ünïcode/Treiber.cs", 3),
        SourceSite.Unknown,
    ];

    private static readonly SourceSite[] Maps =
    [
        new("Receive", "/src/Driver/Rx.cs", 40),
        new("Transmit", "/src/Driver/Tx.cs", 77),
        new("<Main>$", "/src/Program.cs", 1),
    ];

    private readonly TelemetryHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void RecordingAggregatesPerAllocationAndMapSite()
    {
        var profile = new BounceProfile(128);
        profile.Record(_harness.Bounce(size: 40, direction: DmaDirection.FromDevice, offsetInLine: 8), Start.UtcTicks);
        profile.Record(_harness.Bounce(size: 40, direction: DmaDirection.FromDevice, offsetInLine: 8), Start.AddSeconds(5).UtcTicks);
        profile.Record(_harness.Bounce(size: 300, direction: DmaDirection.ToDevice, offsetInLine: 72), Start.AddSeconds(2).UtcTicks);
        profile.Record(_harness.Bounce(size: 16, map: Maps[1]), Start.AddSeconds(1).UtcTicks);

        Assert.Equal(4, profile.TotalBounces);
        Assert.Equal(396, profile.TotalBouncedBytes);
        Assert.Equal(2, profile.Sites.Count);

        var hot = profile.Sites[0];
        Assert.Equal(Allocations[0], hot.AllocationSite);
        Assert.Equal(Maps[0], hot.MapSite);
        Assert.Equal(3, hot.Count);
        Assert.Equal(380, hot.Bytes);
        Assert.Equal(new Dictionary<DmaDirection, long> { [DmaDirection.ToDevice] = 1, [DmaDirection.FromDevice] = 2 }, hot.Directions);
        Assert.Equal(new Dictionary<int, long> { [8] = 2, [72] = 1 }, hot.OffsetInLine);
        Assert.Equal(new Dictionary<int, long> { [40] = 2, [300 % 128] = 1 }, hot.SizeModLine);
        Assert.Equal(Start, hot.FirstSeen);
        Assert.Equal(Start.AddSeconds(5), hot.LastSeen);
        Assert.Null(hot.ExampleStack);

        Assert.Equal(Maps[1], profile.Sites[1].MapSite);
        Assert.Equal(1, profile.Sites[1].Count);
    }

    [Fact]
    public void TheMachineProfileTakesItsLineSizeAndClockFromTheOptions()
    {
        var clock = new ManualClock(Start);
        using var harness = new TelemetryHarness(new MachineOptions { DmaMinAlign = 64, L1CacheLineSize = 64, Clock = clock });
        harness.Telemetry.Bounced(harness.Bounce(size: 100, offsetInLine: 8));
        clock.Advance(TimeSpan.FromMinutes(3));
        harness.Telemetry.Bounced(harness.Bounce(size: 100, offsetInLine: 8));

        var profile = harness.Machine.Bounces;
        Assert.Equal(64, profile.LineSize);
        var site = Assert.Single(profile.Sites);
        Assert.Equal(new Dictionary<int, long> { [36] = 2 }, site.SizeModLine);
        Assert.Equal(Start, site.FirstSeen);
        Assert.Equal(Start.AddMinutes(3), site.LastSeen);
    }

    [Fact]
    public void ConcurrentRecordingLosesNothing()
    {
        var profile = new BounceProfile(128);
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            profile.Record(_harness.Bounce(size: (nuint)(1 + (i % 7)), offsetInLine: (i % 4) * 8, map: Maps[i % 3]), Start.AddTicks(i).UtcTicks));

        Assert.Equal(20_000, profile.TotalBounces);
        Assert.Equal(Enumerable.Range(0, 20_000).Sum(i => 1L + (i % 7)), profile.TotalBouncedBytes);
        Assert.Equal(3, profile.Sites.Count);
        Assert.Equal(20_000, profile.Sites.Sum(site => site.Count));
        Assert.All(profile.Sites, site => Assert.Equal(site.Count, site.OffsetInLine.Values.Sum()));
        Assert.Equal(Start, profile.Sites.Min(site => site.FirstSeen));
        Assert.Equal(Start.AddTicks(19_999), profile.Sites.Max(site => site.LastSeen));
    }

    [Fact]
    public void JsonFollowsTheDocumentedSchema()
    {
        var profile = new BounceProfile(128);
        profile.Record(_harness.Bounce(size: 40, offsetInLine: 8), Start.UtcTicks);
        var site = profile.Sites[0];
        var stackless = profile.ToJson();

        var expected = """
            {
              "schema": "dmasafe.bounces/1",
              "lineSize": 128,
              "totalBounces": 1,
              "totalBouncedBytes": 40,
              "sites": [
                {
                  "allocation": {
                    "file": "/src/Driver/Probe.cs",
                    "line": 12,
                    "member": "Probe"
                  },
                  "map": {
                    "file": "/src/Driver/Rx.cs",
                    "line": 40,
                    "member": "Receive"
                  },
                  "count": 1,
                  "bytes": 40,
                  "directions": {
                    "FromDevice": 1
                  },
                  "offsetInLine": [
                    {
                      "value": 8,
                      "count": 1
                    }
                  ],
                  "sizeModLine": [
                    {
                      "value": 40,
                      "count": 1
                    }
                  ],
                  "firstSeen": "2026-11-25T12:00:00.0000000+00:00",
                  "lastSeen": "2026-11-25T12:00:00.0000000+00:00",
                  "exampleStack": null
                }
              ]
            }
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), stackless.ReplaceLineEndings("\n"));
        Assert.Equal(1, site.Count);
    }

    [Fact]
    public void AProfileSurvivesAJsonRoundTripExactly()
    {
        GenBounces.Sample(bounces =>
        {
            var profile = Record(bounces);
            var json = profile.ToJson();
            var back = BounceProfile.FromJson(json);
            Assert.Equal(json, back.ToJson());
            Assert.Equal(profile.TotalBounces, back.TotalBounces);
            Assert.Equal(profile.TotalBouncedBytes, back.TotalBouncedBytes);
            Assert.Equal(profile.Sites.Select(s => (s.AllocationSite, s.MapSite, s.Count, s.Bytes, s.FirstSeen, s.LastSeen)), back.Sites.Select(s => (s.AllocationSite, s.MapSite, s.Count, s.Bytes, s.FirstSeen, s.LastSeen)));
        });
    }

    [Fact]
    public void MergingSplitRecordingsEqualsRecordingEverythingInOneProfile()
    {
        Gen.Select(GenBounces, Gen.Int[0, 100]).Sample((bounces, percent) =>
        {
            var split = bounces.Length * percent / 100;
            var whole = Record(bounces);
            var merged = BounceProfile.Merge(
                BounceProfile.FromJson(Record(bounces[..split]).ToJson()),
                BounceProfile.FromJson(Record(bounces[split..]).ToJson()));
            Assert.Equal(whole.ToJson(), merged.ToJson());
        });
    }

    [Fact]
    public void MergeAddsCountsAndKeepsTheEarliestFirstTheLatestLastAndAStack()
    {
        var morning = new BounceProfile(128);
        morning.Record(_harness.Bounce(size: 40, offsetInLine: 8), Start.UtcTicks);
        var evening = new BounceProfile(128);
        evening.Record(_harness.Bounce(size: 40, offsetInLine: 16, direction: DmaDirection.Bidirectional), Start.AddHours(8).UtcTicks);
        evening.Record(_harness.Bounce(size: 40, offsetInLine: 16, direction: DmaDirection.Bidirectional), Start.AddHours(9).UtcTicks)
               .TrySetExampleStack("   at Driver.Receive() in /src/Driver/Rx.cs:line 40");
        evening.Record(_harness.Bounce(size: 512, map: Maps[2]), Start.AddHours(10).UtcTicks);

        var merged = BounceProfile.Merge(new[] { morning, evening });

        Assert.Equal(4, merged.TotalBounces);
        Assert.Equal(632, merged.TotalBouncedBytes);
        var site = merged.Sites[0];
        Assert.Equal(3, site.Count);
        Assert.Equal(new Dictionary<DmaDirection, long> { [DmaDirection.Bidirectional] = 2, [DmaDirection.FromDevice] = 1 }, site.Directions);
        Assert.Equal(new Dictionary<int, long> { [8] = 1, [16] = 2 }, site.OffsetInLine);
        Assert.Equal(Start, site.FirstSeen);
        Assert.Equal(Start.AddHours(9), site.LastSeen);
        Assert.Equal("   at Driver.Receive() in /src/Driver/Rx.cs:line 40", site.ExampleStack);
        Assert.Equal(Maps[2], merged.Sites[1].MapSite);

        // The inputs are untouched.
        Assert.Equal(1, morning.TotalBounces);
        Assert.Equal(3, evening.TotalBounces);
    }

    [Fact]
    public void MergeRejectsMixedLineSizesAndEmptyInput()
    {
        var error = Assert.Throws<ArgumentException>(() => BounceProfile.Merge(new BounceProfile(128), new BounceProfile(64)));
        Assert.Contains("profile #1 with line size 64 into profiles with line size 128", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least one profile", Assert.Throws<ArgumentException>(() => BounceProfile.Merge()).Message, StringComparison.Ordinal);
        Assert.Contains("#1 to merge is null", Assert.Throws<ArgumentException>(() => BounceProfile.Merge(new BounceProfile(), null!)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveToWritesNameDotDmabouncesDotJsonAndLoadReadsItBack()
    {
        var directory = Directory.CreateTempSubdirectory("dmasafe-profile-");
        try
        {
            var profile = new BounceProfile(128);
            profile.Record(_harness.Bounce(size: 40, allocation: Allocations[2]), Start.UtcTicks);

            var path = profile.SaveTo(directory.FullName, "nic-rx");

            Assert.Equal(Path.Combine(directory.FullName, "nic-rx.dmabounces.json"), path);
            Assert.Equal(new[] { path }, Directory.GetFiles(directory.FullName));
            var back = BounceProfile.Load(path);
            Assert.Equal(profile.ToJson(), back.ToJson());
            Assert.Equal("/src/Ünïcode/Treiber.cs", back.Sites[0].AllocationSite.FilePath);
            Assert.Contains("\"file\": \"/src/Ünïcode/Treiber.cs\"", File.ReadAllText(path), StringComparison.Ordinal);

            // Saving again replaces the file whole.
            profile.Record(_harness.Bounce(size: 8), Start.UtcTicks);
            profile.Save(path);
            Assert.Equal(2, BounceProfile.Load(path).TotalBounces);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void SaveInsistsOnTheExtensionTheAnalyzerReads()
    {
        var error = Assert.Throws<ArgumentException>(() => new BounceProfile().Save("/tmp/profile.json"));
        Assert.Contains("must be named <name>.dmabounces.json", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new BounceProfile().SaveTo("/tmp", "a/b"));
    }

    [Theory]
    [InlineData("""{"schema": "dmasafe.bounces/2", "lineSize": 128, "sites": []}""", "schema 'dmasafe.bounces/2' is not supported; this runtime reads 'dmasafe.bounces/1'")]
    [InlineData("""{"lineSize": 128, "sites": []}""", "the required property \"schema\" is missing")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 100, "sites": []}""", "lineSize 100 is not a power of two")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": {}}""", "\"sites\" must be Array, not Object")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [{"map": {"file": "a.cs", "line": 1, "member": "M"}, "count": 1, "bytes": 4}]}""", "sites[0]: the required property \"allocation\" is missing")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [{"allocation": {"file": "a.cs", "member": "M"}, "map": {"file": "a.cs", "line": 1, "member": "M"}, "count": 1, "bytes": 4}]}""", "sites[0].allocation: the required property \"line\" is missing")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [{"allocation": {"file": "a.cs", "line": 1, "member": "M"}, "map": {"file": "a.cs", "line": 1, "member": "M"}, "count": 2, "bytes": 4, "offsetInLine": [{"value": 8, "count": 1}]}]}""", "sites[0].offsetInLine: the counts add up to 1, but the site's count is 2")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [{"allocation": {"file": "a.cs", "line": 1, "member": "M"}, "map": {"file": "a.cs", "line": 1, "member": "M"}, "count": 1, "bytes": 4, "sizeModLine": [{"value": 128, "count": 1}]}]}""", "sites[0].sizeModLine[0]: value 128 is outside the line (0 to 127)")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [{"allocation": {"file": "a.cs", "line": 1, "member": "M"}, "map": {"file": "a.cs", "line": 1, "member": "M"}, "count": 1, "bytes": 4, "directions": {"None": 1}}]}""", "'None' is not a mapping direction")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "totalBounces": 5, "sites": [{"allocation": {"file": "a.cs", "line": 1, "member": "M"}, "map": {"file": "a.cs", "line": 1, "member": "M"}, "count": 1, "bytes": 4}]}""", "totalBounces is 5, but the sites add up to 1")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [{"allocation": {"file": "a.cs", "line": 1, "member": "M"}, "map": {"file": "a.cs", "line": 1, "member": "M"}, "count": -1, "bytes": 4}]}""", "count (-1) and bytes (4) must not be negative")]
    [InlineData("""{"schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [{"allocation": {"file": "a.cs", "line": 1, "member": "M"}, "map": {"file": "a.cs", "line": 1, "member": "M"}, "count": 1, "bytes": 4, "firstSeen": "yesterday"}]}""", "sites[0].firstSeen: expected an ISO 8601 date and time")]
    [InlineData("""{"schema": "dmasafe.bounces/1", """, "not valid JSON")]
    [InlineData("""[]""", "a bounce profile is a JSON object, not Array")]
    public void BadFilesAreRejectedWithAMessageThatSaysWhere(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => BounceProfile.FromJson(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMinimalHandWrittenFileIsEnough()
    {
        var profile = BounceProfile.FromJson("""
            {"schema": "dmasafe.bounces/1", "lineSize": 128, "comment": "unknown properties are ignored",
             "sites": [{"allocation": {"file": "/src/a.cs", "line": 3, "member": "Alloc"},
                        "map": {"file": "/src/b.cs", "line": 9, "member": "Map"}, "count": 10, "bytes": 400}]}
            """);
        var site = Assert.Single(profile.Sites);
        Assert.Equal(new SourceSite("Alloc", "/src/a.cs", 3), site.AllocationSite);
        Assert.Equal(10, profile.TotalBounces);
        Assert.Empty(site.OffsetInLine);
        Assert.Equal(default, site.FirstSeen);
    }

    [Fact]
    public void LoadNamesTheFileInItsErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.dmabounces.json");
        File.WriteAllText(path, "{}");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => BounceProfile.Load(path));
            Assert.StartsWith(path + ": the required property \"schema\" is missing", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheLineSizeMustBeAPowerOfTwo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BounceProfile(96));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BounceProfile(0));
    }

    private static readonly Gen<(int Allocation, int Map, int Size, DmaDirection Direction, int Offset, int Seconds)> GenBounce =
        Gen.Select(Gen.Int[0, Allocations.Length - 1], Gen.Int[0, Maps.Length - 1], Gen.Int[1, 70_000], Gen.Int[0, 2].Select(d => (DmaDirection)d), Gen.Int[0, 127], Gen.Int[0, 100_000]);

    private static readonly Gen<(int Allocation, int Map, int Size, DmaDirection Direction, int Offset, int Seconds)[]> GenBounces = GenBounce.Array[0, 40];

    private BounceProfile Record(IEnumerable<(int Allocation, int Map, int Size, DmaDirection Direction, int Offset, int Seconds)> bounces)
    {
        var profile = new BounceProfile(128);
        foreach (var b in bounces)
        {
            profile.Record(_harness.Bounce((nuint)b.Size, b.Direction, b.Offset, Allocations[b.Allocation], Maps[b.Map]), Start.AddSeconds(b.Seconds).UtcTicks);
        }

        return profile;
    }
}
