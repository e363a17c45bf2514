using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// Variants timed round-robin in this process (so a burst of other work hits all of them alike): per variant and
/// round, wall clock, this process's CPU time (which other processes' load inflates far less), bytes allocated, GC
/// pause and gen1+ collections. Each run starts after a full collection (<see cref="ProcessCpu.Settle"/>).
/// </summary>
internal sealed class RoundRobinSamples
{
    private RoundRobinSamples(IReadOnlyList<string> names)
    {
        Names = names;
        Wall = names.Select(_ => new List<double>()).ToArray();
        Cpu = names.Select(_ => new List<double>()).ToArray();
        Allocated = names.Select(_ => new List<double>()).ToArray();
        GcPause = names.Select(_ => new List<double>()).ToArray();
        Gen1 = names.Select(_ => new List<double>()).ToArray();
    }

    public IReadOnlyList<string> Names { get; }

    public List<double>[] Wall { get; }

    public List<double>[] Cpu { get; }

    public List<double>[] Allocated { get; }

    public List<double>[] GcPause { get; }

    public List<double>[] Gen1 { get; }

    /// <param name="windowsPath">
    /// Where to write each timed run's variant, round and start and end (CLOCK_MONOTONIC seconds, the clock of
    /// <c>perf record -k mono</c>), so a sampling profile of this process can be split by variant (null: not written).
    /// </param>
    public static RoundRobinSamples Collect(IReadOnlyList<(string Name, Action Run)> variants, int rounds, string? windowsPath = null)
    {
        var samples = new RoundRobinSamples(variants.Select(v => v.Name).ToArray());
        var windows = new StringBuilder("variant\tround\tstart\tend\n");

        // One untimed round warms the JIT and the reference symbols.
        foreach (var variant in variants)
        {
            variant.Run();
        }

        var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            // Every other round runs the variants in reverse, so no variant always follows the same one (the heap and
            // caches one leaves behind would otherwise bias its neighbour the same way every round).
            for (var step = 0; step < variants.Count; step++)
            {
                var v = round % 2 == 0 ? step : variants.Count - 1 - step;
                ProcessCpu.Settle();
                process.Refresh();
                var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
                var pauseBefore = GC.GetTotalPauseDuration();
                var gen1Before = GC.CollectionCount(1);
                var cpuBefore = process.TotalProcessorTime;
                var start = Stopwatch.GetTimestamp();
                var clock = Stopwatch.StartNew();
                variants[v].Run();
                clock.Stop();
                windows.Append(CultureInfo.InvariantCulture, $"{variants[v].Name}\t{round}\t{(double)start / Stopwatch.Frequency:F6}\t{(double)Stopwatch.GetTimestamp() / Stopwatch.Frequency:F6}\n");
                process.Refresh();
                samples.Wall[v].Add(clock.Elapsed.TotalMilliseconds);
                samples.Cpu[v].Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                samples.Allocated[v].Add((GC.GetTotalAllocatedBytes(precise: true) - bytesBefore) / 1e6);
                samples.GcPause[v].Add((GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds);
                samples.Gen1[v].Add(GC.CollectionCount(1) - gen1Before);
            }
        }

        if (windowsPath is not null)
        {
            System.IO.File.WriteAllText(windowsPath, windows.ToString());
        }

        return samples;
    }

    /// <summary>
    /// One line: the paired-by-round difference of <paramref name="values"/> between two variants, in milliseconds and
    /// as a share of <paramref name="reference"/> milliseconds (called <paramref name="referenceName"/>).
    /// </summary>
    public static string PairedLine(string what, string measure, List<double>[] values, int variant, int over, double reference, string referenceName)
    {
        var d = PairedDifference.Of(values[variant], values[over]);
        return string.Create(CultureInfo.InvariantCulture,
            $"{what}, {measure}, paired by round: median {d.Median:F0} ms = {100 * d.Median / reference:F2}% of {referenceName}, "
            + $"{100 * d.Coverage:F0}% interval [{d.Low:F0}, {d.High:F0}] ms = [{100 * d.Low / reference:F2}%, {100 * d.High / reference:F2}%]\n");
    }

    /// <summary>
    /// The wall and the CPU <see cref="PairedLine"/> of <paramref name="variant"/> over <paramref name="over"/>, each as a
    /// share of the median of <paramref name="over"/> in that measure ("the N ms <paramref name="overName"/>").
    /// </summary>
    public static string PairedWallAndCpu(string what, List<double>[] wall, List<double>[] cpu, int variant, int over, string overName)
    {
        var text = new StringBuilder();
        foreach (var (measure, values) in new[] { ("wall", wall), ("CPU", cpu) })
        {
            var reference = SampleMedian.Of(values[over]);
            text.Append(PairedLine(what, measure, values, variant, over, reference, string.Create(CultureInfo.InvariantCulture, $"the {reference:F0} ms {overName}")));
        }

        return text.ToString();
    }

    /// <summary>The medians (and CPU minimum) of every variant, as a Markdown table.</summary>
    public string Table(int rounds)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"interleaved, {rounds} rounds, medians and minimums:\n");
        text.Append("| variant | wall ms | CPU ms | CPU min ms | allocated MB | GC pause ms | gen1+ GCs |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (var v = 0; v < Names.Count; v++)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {Names[v]} | {SampleMedian.Of(Wall[v]):F0} | {SampleMedian.Of(Cpu[v]):F0} | {Cpu[v].Min():F0} | {SampleMedian.Of(Allocated[v]):F0} | {SampleMedian.Of(GcPause[v]):F0} | {SampleMedian.Of(Gen1[v]):F0} |\n");
        }

        return text.ToString();
    }
}
