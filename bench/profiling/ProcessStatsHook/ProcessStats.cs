using System;
using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DmaSafe.Profiling;

/// <summary>
/// What one process's runtime spent over its life, as its own counters tell: CPU (user + system), time in the JIT and
/// the methods it compiled (every tier: first compiles and re-compiles of hot code), GC pauses and collections, and
/// bytes allocated. Written by <c>StartupHook</c> as one JSON line per process.
/// </summary>
public sealed record ProcessStats(
    double CpuMs,
    double JitMs,
    long JitMethods,
    long JitIlBytes,
    double GcPauseMs,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long AllocatedBytes)
{
    /// <summary>The environment variable that names the file the hook appends to.</summary>
    public const string FileVariable = "DMASAFE_PROCESS_STATS";

    /// <summary>The CPU spent outside the JIT: what the process's own work, the GC and the runtime used.</summary>
    [JsonIgnore]
    public double CpuOutsideJitMs => CpuMs - JitMs;

    /// <summary>This process's figures so far.</summary>
    public static ProcessStats OfThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessStats(
            process.TotalProcessorTime.TotalMilliseconds,
            JitInfo.GetCompilationTime().TotalMilliseconds,
            JitInfo.GetCompiledMethodCount(),
            JitInfo.GetCompiledILBytes(),
            GC.GetTotalPauseDuration().TotalMilliseconds,
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalAllocatedBytes());
    }

    /// <summary>One line of JSON, newline-terminated.</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(this, ProcessStatsJson.Default.ProcessStats) + "\n";

    /// <summary>Reads a line <see cref="ToJsonLine"/> wrote.</summary>
    public static ProcessStats FromJsonLine(string line) =>
        JsonSerializer.Deserialize(line, ProcessStatsJson.Default.ProcessStats)
        ?? throw new FormatException($"Not a process-stats line: '{line}'.");
}

/// <summary>Source-generated serialization: no reflection (and little JIT) in the measured process's exit.</summary>
[JsonSerializable(typeof(ProcessStats))]
internal sealed partial class ProcessStatsJson : JsonSerializerContext;
