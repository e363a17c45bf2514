using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DmaSafe.Profiling;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// DmaSafe's share of compile time measured on the real compiler (<see cref="SdkCompilerRuns"/>): the SDK's csc
/// without and with DmaSafe, alternating for many rounds, so drift of the machine hits both alike. DmaSafe's share is
/// the paired difference, round by round, in wall clock and in the process's CPU time (user + system), as a
/// percentage of the build without it. With a process per build, each csc process also reports its runtime's JIT and
/// GC figures (<see cref="ProcessStats"/>), and the CPU difference is split into the JIT's part and the rest.
/// </summary>
internal static class SdkCompilerMeasurement
{
    // A fresh compiler server's builds keep getting faster for several builds while its JIT moves the compiler's hot
    // code up the tiers (measured on this project: 12.4, 9.4, then 6.9 to 4.3 s wall over the next eight builds).
    private const int ServerWarmRounds = 10;

    public static string Run(string projectFile, int rounds, CompilerHosting hosting)
    {
        var useServer = hosting != CompilerHosting.ProcessPerBuild;
        using var runs = SdkCompilerRuns.Prepare(projectFile, hosting, processStats: !useServer);
        var wall = new[] { new List<double>(), new List<double>() };
        var cpu = new[] { new List<double>(), new List<double>() };
        var stats = new[] { new List<ProcessStats>(), new List<ProcessStats>() };
        for (var round = useServer ? -ServerWarmRounds : 0; round < rounds; round++)
        {
            // Alternate which variant goes first, so neither always runs on the other's warm caches.
            foreach (var v in round % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var (wallMs, cpuMs, processStats) = runs.Run(v);
                if (round >= 0)
                {
                    wall[v].Add(wallMs);
                    cpu[v].Add(cpuMs);
                    if (processStats is not null)
                    {
                        stats[v].Add(processStats);
                    }
                }
            }
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"SDK compiler: {runs.CompilerPath}, through {runs.Hosting}; {rounds} rounds alternating{(useServer ? $" after {ServerWarmRounds} untimed" : "")}; DmaSafe reports {runs.DmaSafeWarnings} warnings each run\n");
        text.Append("| variant | wall ms median | wall ms min | CPU ms median | CPU ms min |\n|---|---:|---:|---:|---:|\n");
        for (var v = 0; v < SdkCompilerRuns.Names.Length; v++)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {SdkCompilerRuns.Names[v]} | {SampleMedian.Of(wall[v]):F0} | {wall[v].Min():F0} | {SampleMedian.Of(cpu[v]):F0} | {cpu[v].Min():F0} |\n");
        }

        // Every round's values too: with a process per run the spread is wide, and its shape (a few outliers, or
        // two modes) says more than the medians.
        foreach (var (measure, values) in new[] { ("wall", wall), ("CPU", cpu) })
        {
            for (var v = 0; v < SdkCompilerRuns.Names.Length; v++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{measure} ms by round, {SdkCompilerRuns.Names[v]}: {string.Join(' ', values[v].Select(ms => ms.ToString("F0", CultureInfo.InvariantCulture)))}\n");
            }
        }

        text.Append(RoundRobinSamples.PairedWallAndCpu("DmaSafe over the SDK's build", wall, cpu, 1, 0, "build without it"));
        if (stats[0].Count == rounds)
        {
            text.Append(RuntimeShare(stats, SampleMedian.Of(cpu[0])));
        }

        return text.ToString();
    }

    // A cold csc's CPU as its runtime counts it: the JIT's time (which varies by seconds between identical builds, as
    // tiered compilation re-compiles whichever compiler methods got hot in that run) and the rest, each paired by round.
    private static string RuntimeShare(List<ProcessStats>[] stats, double referenceCpuMs)
    {
        var text = new StringBuilder("each csc process's own figures (ProcessStatsHook), medians:\n");
        text.Append("| variant | CPU ms | JIT ms | CPU outside the JIT ms | methods JIT-compiled | GC pause ms | gen2 GCs | allocated MB |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var v = 0; v < SdkCompilerRuns.Names.Length; v++)
        {
            var s = stats[v];
            text.Append(CultureInfo.InvariantCulture,
                $"| {SdkCompilerRuns.Names[v]} | {Median(s, x => x.CpuMs):F0} | {Median(s, x => x.JitMs):F0} | {Median(s, x => x.CpuOutsideJitMs):F0} | {Median(s, x => x.JitMethods):F0} | {Median(s, x => x.GcPauseMs):F0} | {Median(s, x => x.Gen2Collections):F0} | {Median(s, x => x.AllocatedBytes / 1e6):F0} |\n");
        }

        var reference = string.Create(CultureInfo.InvariantCulture, $"the {referenceCpuMs:F0} ms CPU of the build without it");
        foreach (var (measure, value) in new (string, Func<ProcessStats, double>)[] { ("JIT", x => x.JitMs), ("CPU outside the JIT", x => x.CpuOutsideJitMs) })
        {
            var values = stats.Select(s => s.Select(value).ToList()).ToArray();
            text.Append(RoundRobinSamples.PairedLine("DmaSafe over the SDK's build", measure, values, 1, 0, referenceCpuMs, reference));
        }

        return text.ToString();
    }

    private static double Median(List<ProcessStats> stats, Func<ProcessStats, double> value) => SampleMedian.Of(stats.Select(value));
}
