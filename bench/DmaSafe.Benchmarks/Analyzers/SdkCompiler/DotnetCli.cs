using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>Runs the dotnet host this machine's builds use, failing loudly with its output when it fails.</summary>
internal static class DotnetCli
{
    /// <summary>The dotnet host: the one the SDK names for tools it starts, else the one on PATH.</summary>
    public static string HostPath => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs dotnet with <paramref name="arguments"/> in <paramref name="folder"/>; returns its standard output.</summary>
    public static string Run(string folder, params string[] arguments)
    {
        var (exitCode, output, errors) = Start(folder, arguments);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"'dotnet {string.Join(' ', arguments)}' in {folder} exited with {exitCode}:\n{output}\n{errors}");
    }

    /// <summary>
    /// Runs dotnet (with <paramref name="environment"/> added to this process's) and returns its exit code and both
    /// outputs, read concurrently so neither pipe fills.
    /// </summary>
    public static (int ExitCode, string Output, string Errors) Start(string folder, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(HostPath)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {HostPath}.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.GetAwaiter().GetResult());
    }
}
