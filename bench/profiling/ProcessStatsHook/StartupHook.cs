using System;
using System.IO;
using DmaSafe.Profiling;

/// <summary>
/// The entry point the runtime calls before Main when this assembly is named in DOTNET_STARTUP_HOOKS (it looks for
/// exactly this: a type named StartupHook, in no namespace, with a static Initialize). When
/// <see cref="ProcessStats.FileVariable"/> names a file, the process appends its <see cref="ProcessStats"/> to it as it
/// exits; otherwise the hook does nothing.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(ProcessStats.FileVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        // Read at exit, not now: the figures are totals over the process's life.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.AppendAllText(path, ProcessStats.OfThisProcess().ToJsonLine());
    }
}
