using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace DmaSafe;

/// <summary>Captures the driver's stack at a bounce, without the runtime's own frames on top (they say nothing new).</summary>
internal static class StackCapture
{
    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026:RequiresUnreferencedCode",
        Justification = "GetMethod is only used to tell the runtime's frames from the caller's; if trimming removed a frame's metadata, the frame is kept in the trace, nothing fails.")]
    public static string Capture()
    {
        // Both traces are taken in this method, so a frame index in one is the same frame in the other.
        var probe = new StackTrace(0, fNeedFileInfo: false);
        var runtime = typeof(StackCapture).Assembly;
        var first = 0;
        while (first < probe.FrameCount && probe.GetFrame(first)?.GetMethod()?.Module.Assembly == runtime)
        {
            first++;
        }

        return new StackTrace(first, fNeedFileInfo: true).ToString().TrimEnd();
    }
}
