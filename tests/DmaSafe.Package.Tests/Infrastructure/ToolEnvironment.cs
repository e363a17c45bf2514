using System;
using System.Collections;
using System.Diagnostics;
using System.IO;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>
/// The environment every tool started by these tests gets: the test host's, minus what would make MSBuild behave
/// differently from a user's shell, plus switches that keep no build server alive after the tool exits.
/// </summary>
internal static class ToolEnvironment
{
    /// <summary>The dotnet executable that runs these tests (so the same SDK installation builds the scratch projects).</summary>
    public static string Dotnet { get; } = FindDotnet();

    /// <summary>Applies the environment to <paramref name="startInfo"/>.</summary>
    public static void Apply(ProcessStartInfo startInfo)
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            // The test host (vstest under `dotnet test`) sets MSBuild's paths for its own build; a user's shell has none of them.
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                startInfo.Environment.Remove(name);
            }
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // Build servers (MSBuild nodes, the MSBuild server, VBCSCompiler) inherit the redirected output pipes and would keep
        // them open after the tool exits; they would also outlive the test run.
        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["UseSharedCompilation"] = "false";
        // Tool shims (csharp-ls) look for the runtime here when dotnet is not in a default install location.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")) && Path.IsPathRooted(Dotnet))
        {
            var resolved = new FileInfo(Dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Dotnet;
            startInfo.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(resolved);
        }
    }

    private static string FindDotnet()
    {
        var fromHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromHost) && File.Exists(fromHost))
        {
            return fromHost;
        }

        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        return "dotnet";
    }
}
