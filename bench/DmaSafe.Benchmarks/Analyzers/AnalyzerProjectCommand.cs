using System;
using System.Globalization;
using System.IO;
using DmaSafe.Benchmarks.Analyzers.Generation;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// <c>analyzer-project [--seed N] [--files N] [--mappings N] [--out DIR] [--repo DIR] [--measure ROUNDS [--baseline ANALYZER.dll] [--windows FILE]] [--warm RUNS] [--each-analyzer] [--core] [--alloc-types RUNS] [--repeat VARIANT RUNS] [--callback-cpu RUNS] [--csc-builds ROUNDS] [--sdk-csc ROUNDS] [--sdk-csc-server ROUNDS]</c>: generates
/// the benchmark's driver project, checks it (compiles, DmaSafe reports what was planted, per-analyzer time of one run);
/// with --out, writes it to a folder as a buildable project; with --measure, times the benchmark's variants
/// round-robin (<see cref="InterleavedMeasurement"/>), with --baseline another build of the analyzers in the same rounds,
/// and with --each-analyzer every DmaSafe analyzer alone too (--windows FILE: each timed run's start and end, to split a
/// `perf record -k mono` profile by variant); with
/// --warm, the per-analyzer driver clock and DmaSafe's phases over warm runs (<see cref="WarmProfile"/>), with
/// --each-analyzer every DmaSafe analyzer's clock alone too. --core measures only the compiler, EmptyAnalyzer, DmaSafe (and
/// the baseline), so more rounds fit in the same time; --repeat runs one variant again and again for a profiler (empty,
/// semantic, shape, dmasafe; with a csc- prefix, in builds as csc runs them); --callback-cpu, the CPU DmaSafe's callbacks use per run against Emit's; --alloc-types, DmaSafe's extra
/// allocation by type
/// (<see cref="AllocationTypes"/>); --csc-builds, only builds as csc runs them, with and without DmaSafe (and --baseline)
/// (<see cref="CscBuildMeasurement"/>); --sdk-csc, the installed SDK's own csc as a process per run, with the command
/// line the SDK's build gives it, with and without DmaSafe (<see cref="SdkCompiler.SdkCompilerMeasurement"/>);
/// --sdk-csc-server, the same through a compiler server of its own, as a default dotnet build compiles.
/// </summary>
internal static class AnalyzerProjectCommand
{
    public const string Verb = "analyzer-project";

    public static int Run(string[] args)
    {
        var spec = DriverProjectSpec.Default;
        string? output = null;
        string? repository = null;
        var rounds = 0;
        var eachAnalyzer = false;
        var core = false;
        var allocationRuns = 0;
        var warmRuns = 0;
        string? baseline = null;
        string? repeated = null;
        string? windows = null;
        var repeatRuns = 0;
        var callbackRounds = 0;
        var cscRounds = 0;
        var sdkRounds = 0;
        var sdkServerRounds = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--each-analyzer" or "--core")
            {
                eachAnalyzer |= args[i] == "--each-analyzer";
                core |= args[i] == "--core";
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--seed": spec = spec with { Seed = ParseCount(args[i], value) }; break;
                case "--files": spec = spec with { FileCount = ParseCount(args[i], value) }; break;
                case "--mappings": spec = spec with { MappingCount = ParseCount(args[i], value) }; break;
                case "--out": output = value; break;
                case "--repo": repository = value; break;
                case "--measure": rounds = ParseCount(args[i], value); break;
                case "--warm": warmRuns = ParseCount(args[i], value); break;
                case "--baseline": baseline = value; break;
                case "--windows": windows = value; break;
                case "--callback-cpu": callbackRounds = ParseCount(args[i], value); break;
                case "--csc-builds": cscRounds = ParseCount(args[i], value); break;
                case "--sdk-csc": sdkRounds = ParseCount(args[i], value); break;
                case "--sdk-csc-server": sdkServerRounds = ParseCount(args[i], value); break;
                case "--alloc-types": allocationRuns = ParseCount(args[i], value); break;
                case "--repeat":
                    repeated = value;
                    repeatRuns = i + 2 < args.Length ? ParseCount(args[i], args[i + 2]) : throw new ArgumentException("--repeat needs a variant and a count.");
                    i++;
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Verb} [--seed N] [--files N] [--mappings N] [--out DIR] [--repo DIR] [--measure ROUNDS [--baseline ANALYZER.dll] [--windows FILE]] [--warm RUNS] [--each-analyzer] [--core] [--alloc-types RUNS] [--repeat VARIANT RUNS] [--callback-cpu RUNS] [--csc-builds ROUNDS] [--sdk-csc ROUNDS] [--sdk-csc-server ROUNDS]");
            }

            i++;
        }

        var project = SyntheticDriverProject.Generate(spec);
        var lines = 0;
        foreach (var file in project.Files)
        {
            lines += file.Text.Split('\n').Length - 1;
        }

        Console.WriteLine($"seed {spec.Seed}: {project.Files.Count} files, {lines} lines, {project.MapSingleCallSites} MapSingle sites, {spec.DriverUnits} drivers");
        var compilation = DriverProjectCompilation.Create(project);
        var check = DriverProjectCheck.RunAsync(compilation).GetAwaiter().GetResult();
        Console.Write(check.Describe());
        if (warmRuns > 0)
        {
            Console.Write(WarmProfile.Run(compilation, warmRuns, eachAnalyzer));
        }

        if (rounds > 0)
        {
            Console.Write(InterleavedMeasurement.Run(compilation, rounds, eachAnalyzer, baseline, core, windows));
        }

        if (allocationRuns > 0)
        {
            Console.Write(AllocationTypes.Run(compilation, allocationRuns));
        }

        if (callbackRounds > 0)
        {
            Console.Write(CallbackCpu.Run(compilation, callbackRounds, baseline));
        }

        if (cscRounds > 0)
        {
            Console.Write(CscBuildMeasurement.Run(compilation, cscRounds, baseline));
        }

        if (repeated is not null)
        {
            Console.Write(RepeatedVariant.Run(compilation, repeated, repeatRuns));
        }

        // The SDK's compiler needs the project on disk: in --out if given, else in a folder of its own, deleted after.
        var temporary = output is null && sdkRounds + sdkServerRounds > 0;
        output ??= temporary ? Path.Combine(Path.GetTempPath(), "dmasafe-sdk-project-" + Guid.NewGuid().ToString("N")) : null;
        if (output is not null)
        {
            var root = repository ?? ProjectFolderWriter.FindRepositoryRoot(Directory.GetCurrentDirectory());
            ProjectFolderWriter.Write(project, output, Path.GetFullPath(root));
            Console.WriteLine($"wrote {Path.Combine(output, ProjectFolderWriter.ProjectFileName)}");
        }

        if (sdkRounds + sdkServerRounds > 0)
        {
            try
            {
                var projectFile = Path.Combine(output!, ProjectFolderWriter.ProjectFileName);
                if (sdkRounds > 0)
                {
                    Console.Write(SdkCompiler.SdkCompilerMeasurement.Run(projectFile, sdkRounds, useServer: false));
                }

                if (sdkServerRounds > 0)
                {
                    Console.Write(SdkCompiler.SdkCompilerMeasurement.Run(projectFile, sdkServerRounds, useServer: true));
                }
            }
            finally
            {
                if (temporary)
                {
                    Directory.Delete(output!, recursive: true);
                }
            }
        }

        return check.Matches ? 0 : 1;
    }

    private static int ParseCount(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{option} takes a non-negative integer, not '{value}'.");
}
