using System;
using System.Runtime.InteropServices;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The calling thread's own CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): unlike a wall clock, it does not count the
/// time a callback waits for a lock or for the CPU, and unlike the process's CPU time, no other thread's work.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>True where the clock can be read (Linux).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>Nanoseconds of CPU this thread has used.</summary>
    public static long Now()
    {
        if (clock_gettime(ThreadCpuTimeId, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clock, out TimeSpec time);
}
