using System;
using System.Linq;
using Xunit;

namespace DmaSafe.Runtime.Tests.Telemetry;

public sealed class BounceTableTests : IDisposable
{
    private static readonly long Now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).UtcTicks;
    private readonly TelemetryHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void TheTableListsTheTopSitesInAlignedColumns()
    {
        var profile = new BounceProfile(128);
        for (var i = 0; i < 1000; i++)
        {
            profile.Record(_harness.Bounce(size: 40, offsetInLine: 8), Now);
        }

        for (var i = 0; i < 25; i++)
        {
            profile.Record(_harness.Bounce(size: 1500, direction: DmaDirection.ToDevice, offsetInLine: i % 2 * 64, map: new SourceSite("Transmit", "/src/Driver/Tx.cs", 77)), Now);
        }

        profile.Record(_harness.Bounce(size: 40, direction: DmaDirection.Bidirectional), Now);
        profile.Record(_harness.Bounce(size: 40, direction: DmaDirection.ToDevice), Now);

        var table = profile.ToTable();
        var lines = table.Split('\n');

        Assert.StartsWith("DMA bounces: 1027 (77580 bytes) at 2 sites, 128-byte lines; all sites:", lines[0], StringComparison.Ordinal);

        // Every column starts at the same position in the header and in each row.
        var header = lines[1];
        var columns = new[] { "count", "bytes", "share", "directions", "offset in line", "size mod line", "allocated at", "mapped at" };
        var textStarts = columns[3..].Select(column => header.IndexOf(column, StringComparison.Ordinal)).ToArray();
        Assert.DoesNotContain(-1, textStarts);
        Assert.Equal("Bidirectional,ToDevice,FromDevice", lines[2].Substring(textStarts[0]).Split("  ")[0]);
        Assert.Equal("8", lines[2].Substring(textStarts[1]).Split(' ')[0]);
        Assert.Equal("0 (+1 others)", lines[3].Substring(textStarts[1]).Split("  ")[0]);
        Assert.Equal("40", lines[2].Substring(textStarts[2]).Split(' ')[0]);
        Assert.Equal("92", lines[3].Substring(textStarts[2]).Split(' ')[0]);
        Assert.Equal("Probe (Probe.cs:12)", lines[3].Substring(textStarts[3]).Split("  ")[0]);
        Assert.Equal("Transmit (Tx.cs:77)", lines[3].Substring(textStarts[4]));

        // Numbers are right-aligned: their last digits line up under the header's last letter.
        var countEnd = header.IndexOf("count", StringComparison.Ordinal) + "count".Length;
        Assert.Equal("1002", lines[2][(countEnd - 4)..countEnd]);
        Assert.Equal("  25", lines[3][(countEnd - 4)..countEnd]);
        var shareEnd = header.IndexOf("share", StringComparison.Ordinal) + "share".Length;
        Assert.Equal("97.6%", lines[2][(shareEnd - 5)..shareEnd]);
        Assert.Equal(" 2.4%", lines[3][(shareEnd - 5)..shareEnd]);
        Assert.Equal(5, lines.Length);
        Assert.Equal(
            """
            DMA bounces: 1027 (77580 bytes) at 2 sites, 128-byte lines; all sites:
              count  bytes  share  directions                         offset in line  size mod line  allocated at         mapped at
               1002  40080  97.6%  Bidirectional,ToDevice,FromDevice  8               40             Probe (Probe.cs:12)  Receive (Rx.cs:40)
                 25  37500   2.4%  ToDevice                           0 (+1 others)   92             Probe (Probe.cs:12)  Transmit (Tx.cs:77)

            """.ReplaceLineEndings("\n"),
            table.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TopCutsTheTableAndSaysWhatWasLeftOut()
    {
        var profile = new BounceProfile(128);
        for (var line = 1; line <= 5; line++)
        {
            for (var i = 0; i < line; i++)
            {
                profile.Record(_harness.Bounce(map: new SourceSite("Map", "/src/M.cs", line)), Now);
            }
        }

        var lines = profile.ToTable(top: 2).TrimEnd().Split('\n');

        Assert.EndsWith("top 2:", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("Map (M.cs:5)", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("Map (M.cs:4)", lines[3], StringComparison.Ordinal);
        Assert.Equal("  … 3 more sites with 6 bounces.", lines[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.ToTable(top: 0));
    }

    [Fact]
    public void AnEmptyProfileSaysSo()
    {
        Assert.Equal("DMA bounces: none recorded (128-byte lines).", new BounceProfile().ToTable().TrimEnd());
        Assert.Equal("0 bounces (0 bytes) at 0 sites", new BounceProfile().ToString());
    }
}
