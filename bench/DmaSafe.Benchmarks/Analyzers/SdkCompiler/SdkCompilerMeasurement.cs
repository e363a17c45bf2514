using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// DmaSafe's share of compile time measured on the real compiler (<see cref="SdkCompilerRuns"/>): the SDK's csc
/// without and with DmaSafe, alternating for many rounds, so drift of the machine hits both alike. DmaSafe's share is
/// the paired difference, round by round, in wall clock and in the process's CPU time (user + system), as a
/// percentage of the build without it.
/// </summary>
internal static class SdkCompilerMeasurement
{
    // A fresh compiler server's builds keep getting faster for several builds while its JIT moves the compiler's hot
    // code up the tiers (measured on this project: 12.4, 9.4, then 6.9 to 4.3 s wall over the next eight builds).
    private const int ServerWarmRounds = 10;

    public static string Run(string projectFile, int rounds, bool useServer)
    {
        using var runs = SdkCompilerRuns.Prepare(projectFile, useServer);
        var wall = new[] { new List<double>(), new List<double>() };
        var cpu = new[] { new List<double>(), new List<double>() };
        for (var round = useServer ? -ServerWarmRounds : 0; round < rounds; round++)
        {
            // Alternate which variant goes first, so neither always runs on the other's warm caches.
            foreach (var v in round % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                var (wallMs, cpuMs) = runs.Run(v);
                if (round >= 0)
                {
                    wall[v].Add(wallMs);
                    cpu[v].Add(cpuMs);
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

        return text.Append(RoundRobinSamples.PairedWallAndCpu("DmaSafe over the SDK's build", wall, cpu, 1, 0, "build without it")).ToString();
    }
}
