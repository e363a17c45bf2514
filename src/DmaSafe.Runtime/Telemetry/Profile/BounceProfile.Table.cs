using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DmaSafe;

// The profile as a table a person reads in a test log.
public sealed partial class BounceProfile
{
    private static readonly string[] TableHeader =
        ["count", "bytes", "share", "directions", "offset in line", "size mod line", "allocated at", "mapped at"];

    // Numbers are right-aligned so their digits line up; text columns are left-aligned.
    private static readonly bool[] RightAligned = [true, true, true, false, false, false, false, false];

    /// <summary>
    /// The <paramref name="top"/> sites with the most bounces as an aligned text table: count, bytes, share of all
    /// bounces, directions, the most common offset in line and size modulo line (with how many other values were
    /// seen), and the allocation and map sites.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public string ToTable(int top = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var sites = Sites;
        var total = sites.Sum(site => site.Count);
        var text = new StringBuilder();
        if (sites.Count == 0)
        {
            return text.Append(CultureInfo.InvariantCulture, $"DMA bounces: none recorded ({LineSize}-byte lines).").AppendLine().ToString();
        }

        var shown = sites.Take(top).ToList();
        text.Append(CultureInfo.InvariantCulture, $"DMA bounces: {total} ({sites.Sum(site => site.Bytes)} bytes) at {sites.Count} sites, {LineSize}-byte lines; ")
            .Append(shown.Count == sites.Count ? "all sites:" : $"top {shown.Count}:")
            .AppendLine();

        var rows = new List<string[]> { TableHeader };
        rows.AddRange(shown.Select(site => TableRow(site, total)));
        var widths = Enumerable.Range(0, TableHeader.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var column = 0; column < row.Length; column++)
            {
                var cell = row[column];
                line.Append("  ");
                line.Append(RightAligned[column] ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column]));
            }

            text.Append(line.ToString().TrimEnd()).AppendLine();
        }

        if (shown.Count < sites.Count)
        {
            var rest = sites.Skip(shown.Count).ToList();
            text.Append(CultureInfo.InvariantCulture, $"  … {rest.Count} more sites with {rest.Sum(site => site.Count)} bounces.").AppendLine();
        }

        return text.ToString();
    }

    private static string[] TableRow(BounceSite site, long total) =>
    [
        site.Count.ToString(CultureInfo.InvariantCulture),
        site.Bytes.ToString(CultureInfo.InvariantCulture),
        (total == 0 ? 0 : 100.0 * site.Count / total).ToString("0.0", CultureInfo.InvariantCulture) + "%",
        site.Directions.Count == 0 ? "-" : string.Join(",", site.Directions.OrderBy(pair => pair.Key).Select(pair => pair.Key.ToString())),
        MostCommon(site.OffsetInLine),
        MostCommon(site.SizeModLine),
        site.AllocationSite.ToString(),
        site.MapSite.ToString(),
    ];

    /// <summary><c>8</c>, or <c>8 (+2 others)</c> when other values were seen too; <c>-</c> when nothing was.</summary>
    private static string MostCommon(IReadOnlyDictionary<int, long> histogram)
    {
        if (histogram.Count == 0)
        {
            return "-";
        }

        var best = histogram.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key).First().Key;
        var value = best.ToString(CultureInfo.InvariantCulture);
        return histogram.Count == 1 ? value : $"{value} (+{histogram.Count - 1} others)";
    }
}
