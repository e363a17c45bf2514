using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>Runs a tool to completion within a time limit and captures what it printed.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>.</summary>
    public static Task<ProcessResult> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunAsync(ToolEnvironment.Dotnet, arguments, workingDirectory, timeout);

    /// <summary>
    /// Runs <paramref name="fileName"/>; on time-out kills the whole process tree and throws with everything printed so far.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ToolEnvironment.Apply(startInfo);
        var commandLine = fileName + " " + string.Join(" ", arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start `{commandLine}` in {workingDirectory}.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the time-out and the kill.
            }

            throw new TimeoutException(
                $"`{commandLine}` in {workingDirectory} did not finish within {timeout.TotalSeconds:0} s and was killed.{Environment.NewLine}" +
                $"--- stdout ---{Environment.NewLine}{Snapshot(stdout)}{Environment.NewLine}--- stderr ---{Environment.NewLine}{Snapshot(stderr)}");
        }

        return new ProcessResult(commandLine, workingDirectory, process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    private static void Append(StringBuilder sink, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sink)
        {
            sink.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder sink)
    {
        lock (sink)
        {
            return sink.ToString();
        }
    }
}
