using System;
using System.Collections.Generic;
using System.IO;

namespace DriverSample.Demo;

/// <summary>Prints the demo's findings as short aligned tables.</summary>
public static class Report
{
    public static void PrintRuns(TextWriter output, IReadOnlyList<WorkloadResult> runs)
    {
        output.WriteLine($"{"layout",-12} {"policy",-12} {"transfers",9} {"bounces",8} {"faults",7} {"sample bytes corrupted",23} {"CPU bytes lost",15}");
        foreach (var run in runs)
        {
            var failed = run.Transfers - run.Completed;
            var transfers = failed == 0 ? $"{run.Transfers}" : $"{run.Completed}/{run.Transfers}";
            output.WriteLine($"{run.Layout,-12} {run.Policy,-12} {transfers,9} {run.Bounces,8} {run.Faults,7} {run.SampleBytesCorrupted,23} {run.CpuBytesLost,15}");
        }
    }
}
