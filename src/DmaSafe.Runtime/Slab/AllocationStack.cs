using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// The allocating stack for <see cref="MachineOptions.CaptureStackTraces"/>, starting at the caller's frame: frames of
/// this assembly are skipped by identity rather than by a fixed count, which the JIT's inlining would make wrong.
/// </summary>
internal static class AllocationStack
{
    private static readonly Assembly Runtime = typeof(AllocationStack).Assembly;

    [MethodImpl(MethodImplOptions.NoInlining)]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Without method metadata GetMethod returns null and the stack simply keeps the runtime's own frames.")]
    public static string Capture()
    {
        var trace = new StackTrace(1, fNeedFileInfo: true);
        var skip = 0;
        while (skip < trace.FrameCount && trace.GetFrame(skip)?.GetMethod()?.DeclaringType?.Assembly == Runtime)
        {
            skip++;
        }

        return skip == 0 ? trace.ToString() : new StackTrace(1 + skip, fNeedFileInfo: true).ToString();
    }
}
