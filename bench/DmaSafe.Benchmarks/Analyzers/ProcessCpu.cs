using System;
using System.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>How the harness's in-process measurements start a run and read this process's CPU time.</summary>
internal static class ProcessCpu
{
    /// <summary>Collects garbage before a run, so it does not pay for the collections the run before it caused.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    /// <summary>This process's CPU milliseconds (all threads) while <paramref name="run"/> runs, after <see cref="Settle"/>.</summary>
    public static double Measure(Action run)
    {
        Settle();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.TotalProcessorTime;
        run();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalMilliseconds;
    }
}
