using System;
using System.Runtime.InteropServices;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// The CPU time (user + system) of this process's terminated and reaped children (Unix <c>getrusage(RUSAGE_CHILDREN)</c>).
/// A child's own CPU time can no longer be read from /proc once it has exited, and reading it before it exits would
/// miss its last moments; the difference of this clock around one child's run is that child's whole CPU time.
/// </summary>
internal static partial class ChildProcessCpu
{
    private const int RusageChildren = -1; // RUSAGE_CHILDREN

    /// <summary>True where the clock can be read (Linux; the struct layout below is the 64-bit Linux one).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Milliseconds of CPU used so far by every reaped child of this process.</summary>
    public static double Milliseconds()
    {
        if (!IsAvailable)
        {
            throw new PlatformNotSupportedException("Children's CPU time is read with getrusage(RUSAGE_CHILDREN) on 64-bit Linux only.");
        }

        if (getrusage(RusageChildren, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage(RUSAGE_CHILDREN) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return Ms(usage.UserTime) + Ms(usage.SystemTime);
    }

    private static double Ms(TimeVal time) => (time.Seconds * 1e3) + (time.Microseconds / 1e3);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    // struct rusage: two timevals, then fourteen longs (maxrss, ixrss, ... nivcsw) that this clock does not read.
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ResourceUsage
    {
        public TimeVal UserTime;
        public TimeVal SystemTime;
        public fixed long Rest[14];
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, out ResourceUsage usage);
}
