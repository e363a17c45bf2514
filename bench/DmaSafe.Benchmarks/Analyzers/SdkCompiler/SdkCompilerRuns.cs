using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DmaSafe.Profiling;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// The two runs of the installed SDK's csc that the SDK measurements compare, each a process of its own with the
/// command line the SDK's build gives it (<see cref="SdkCompilerCommandLine"/>): without DmaSafe (every analyzer and
/// generator the SDK adds) and with DmaSafe's analyzers too. This is a build with UseSharedCompilation=false: each run
/// pays its own start-up and JIT, which an in-process harness cannot show; or, with a <see cref="CompilerServer"/>, a
/// default <c>dotnet build</c>, where one warm server compiles every build. Every run must report the DmaSafe warnings
/// its first run reported (none without DmaSafe), so a run that silently lost the analyzer fails loudly. On request,
/// each process also reports what its runtime spent (<see cref="ProcessStats"/>, through the ProcessStatsHook startup
/// hook), so a cold build's CPU can be split into the JIT's and the rest.
/// </summary>
internal sealed partial class SdkCompilerRuns : IDisposable
{
    /// <summary>The variants, by index: 0 without DmaSafe, 1 with it.</summary>
    public static readonly string[] Names = ["SDK csc, the SDK's analyzers and generators", "SDK csc, the same + DmaSafe analyzers"];

    private readonly SdkCompilerCommandLine _commandLine;
    private readonly string _outputFolder;
    private readonly string[] _responseFiles;
    private readonly int[] _expectedWarnings;
    private readonly CompilerHosting _hosting;
    private readonly CompilerServer?[] _servers;
    private readonly string? _statsFile;

    private SdkCompilerRuns(SdkCompilerCommandLine commandLine, string outputFolder, CompilerHosting hosting, CompilerServer?[] servers, bool processStats)
    {
        _commandLine = commandLine;
        _outputFolder = outputFolder;
        _hosting = hosting;
        _servers = servers;
        _statsFile = processStats ? Path.Combine(outputFolder, "process-stats.jsonl") : null;
        _responseFiles = [commandLine.WriteResponseFile(outputFolder, "without", withDmaSafe: false), commandLine.WriteResponseFile(outputFolder, "with", withDmaSafe: true)];

        // One untimed run each: the page cache, and the DmaSafe warnings every later run must report again.
        _expectedWarnings = [Compile(0).DmaSafeWarnings, Compile(1).DmaSafeWarnings];
        if (_expectedWarnings[0] != 0 || _expectedWarnings[1] == 0)
        {
            throw new InvalidOperationException($"Expected DmaSafe warnings only with DmaSafe loaded; got {_expectedWarnings[0]} without and {_expectedWarnings[1]} with.");
        }
    }

    /// <summary>The SDK's csc.dll that runs.</summary>
    public string CompilerPath => _commandLine.CompilerPath;

    /// <summary>The warnings DmaSafe reports in each run with it (its Info rules are not printed by csc).</summary>
    public int DmaSafeWarnings => _expectedWarnings[1];

    /// <summary>How the compiler runs, in words.</summary>
    public string Hosting => _hosting switch
    {
        CompilerHosting.ProcessPerBuild => "a process per build (UseSharedCompilation=false)",
        CompilerHosting.ServerPerVariant => "a compiler server (VBCSCompiler) per variant, as dotnet build uses by default",
        _ => "one compiler server (VBCSCompiler) for both variants",
    };

    /// <summary>
    /// Asks MSBuild for <paramref name="projectFile"/>'s compiler command line and runs each variant once, each in a
    /// process of its own or through compiler servers of the benchmark's own, as <paramref name="hosting"/> says. With
    /// <paramref name="processStats"/> (a process per build only: a server's runtime serves every build), each run's
    /// <see cref="ProcessStats"/> too.
    /// </summary>
    public static SdkCompilerRuns Prepare(string projectFile, CompilerHosting hosting, bool processStats = false)
    {
        if (hosting != CompilerHosting.ProcessPerBuild && processStats)
        {
            throw new ArgumentException("Process stats describe one csc process; a compiler server's runtime serves every build.", nameof(processStats));
        }

        var commandLine = SdkCompilerCommandLine.Query(projectFile);
        var outputFolder = Path.Combine(Path.GetTempPath(), "dmasafe-sdk-csc-" + Guid.NewGuid().ToString("N"));
        var first = hosting == CompilerHosting.ProcessPerBuild ? null : new CompilerServer();
        CompilerServer?[] servers = [first, hosting == CompilerHosting.ServerPerVariant ? new CompilerServer() : first];
        try
        {
            return new SdkCompilerRuns(commandLine, outputFolder, hosting, servers, processStats);
        }
        catch
        {
            DisposeServers(servers);
            if (Directory.Exists(outputFolder))
            {
                Directory.Delete(outputFolder, recursive: true);
            }

            throw;
        }
    }

    /// <summary>
    /// Runs variant <paramref name="variant"/> (see <see cref="Names"/>) once: its wall clock and CPU time, and its
    /// process's own figures if they were asked for (else null).
    /// </summary>
    public (double WallMs, double CpuMs, ProcessStats? Stats) Run(int variant)
    {
        var run = Compile(variant);
        return run.DmaSafeWarnings == _expectedWarnings[variant]
            ? (run.WallMs, run.CpuMs, run.Stats)
            : throw new InvalidOperationException($"{Names[variant]} reported {run.DmaSafeWarnings} DmaSafe warnings, its first run {_expectedWarnings[variant]}.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeServers(_servers);
        Directory.Delete(_outputFolder, recursive: true);
    }

    private static void DisposeServers(CompilerServer?[] servers)
    {
        foreach (var server in servers.Distinct())
        {
            server?.Dispose();
        }
    }

    private (double WallMs, double CpuMs, int DmaSafeWarnings, ProcessStats? Stats) Compile(int variant)
    {
        // With a server, csc is a client that hands the build to the server: the CPU is both processes'. The first
        // build starts the server, so its CPU misses the server's share; that build is never timed.
        var server = _servers[variant];
        var responseFile = _responseFiles[variant];
        string[] shared = server is null ? [] : ["/shared:" + server.PipeName];
        var serverBefore = server?.TryCpuMilliseconds();
        var cpuBefore = ChildProcessCpu.Milliseconds();
        var clock = Stopwatch.StartNew();
        var (exitCode, output, errors) = DotnetCli.Start(_commandLine.ProjectFolder, ["exec", _commandLine.CompilerPath, .. shared, .. _commandLine.LeadingArguments, "@" + responseFile], StatsEnvironment());
        clock.Stop();
        var cpuMs = ChildProcessCpu.Milliseconds() - cpuBefore;
        if (serverBefore is { } before)
        {
            cpuMs += server!.TryCpuMilliseconds()!.Value - before;
        }

        return exitCode == 0
            ? (clock.Elapsed.TotalMilliseconds, cpuMs, DmaSafeWarning().Count(output), TakeStats())
            : throw new InvalidOperationException($"csc @{responseFile} exited with {exitCode}:\n{output}\n{errors}");
    }

    // The hook is copied next to this assembly by the project reference; the runtime loads it into csc before its Main.
    private Dictionary<string, string>? StatsEnvironment()
    {
        if (_statsFile is null)
        {
            return null;
        }

        var hook = Path.Combine(AppContext.BaseDirectory, "DmaSafe.ProcessStatsHook.dll");
        return File.Exists(hook)
            ? new Dictionary<string, string> { ["DOTNET_STARTUP_HOOKS"] = hook, [ProcessStats.FileVariable] = _statsFile }
            : throw new FileNotFoundException("The process-stats startup hook is not next to the benchmarks; build bench/DmaSafe.Benchmarks.", hook);
    }

    // The one line the run's csc process wrote as it exited; the file is emptied for the next run.
    private ProcessStats? TakeStats()
    {
        if (_statsFile is null)
        {
            return null;
        }

        var lines = File.Exists(_statsFile) ? File.ReadAllLines(_statsFile) : [];
        File.Delete(_statsFile);
        return lines.Length == 1
            ? ProcessStats.FromJsonLine(lines[0])
            : throw new InvalidOperationException($"Expected one process-stats line from the csc run, got {lines.Length}: is DOTNET_STARTUP_HOOKS honoured?");
    }

    [GeneratedRegex(@"warning DMA\d{3}:")]
    private static partial Regex DmaSafeWarning();
}
