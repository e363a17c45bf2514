using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// The SDK's compiler server (VBCSCompiler) that csc starts for <c>/shared:PIPE</c>, as <c>dotnet build</c> uses it by
/// default: one long-lived process that compiles every build, keeps its JIT warm and loads an analyzer assembly once.
/// A private pipe name gives the benchmark a server of its own, so no other build's work lands in its CPU time; the
/// benchmark stops it when done.
/// </summary>
internal sealed class CompilerServer : IDisposable
{
    private Process? _process;

    public CompilerServer() => PipeName = "dmasafe-bench-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The pipe the server listens on: csc's <c>/shared:</c> argument.</summary>
    public string PipeName { get; }

    /// <summary>The server's CPU milliseconds so far, or null before csc has started it.</summary>
    public double? TryCpuMilliseconds()
    {
        _process ??= Find();
        if (_process is null)
        {
            return null;
        }

        _process.Refresh();
        return _process.HasExited
            ? throw new InvalidOperationException($"The compiler server for pipe {PipeName} exited during the measurement.")
            : _process.TotalProcessorTime.TotalMilliseconds;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var process = _process ?? Find();
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }

        process?.Dispose();
    }

    // The server's command line names its pipe (VBCSCompiler -pipename:PIPE); /proc is where Linux shows it.
    private Process? Find()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
            }
            catch (IOException)
            {
                continue; // exited while listed
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Split('\0').Contains("-pipename:" + PipeName) && commandLine.Contains("VBCSCompiler", StringComparison.Ordinal))
            {
                return Process.GetProcessById(pid);
            }
        }

        return null;
    }
}
