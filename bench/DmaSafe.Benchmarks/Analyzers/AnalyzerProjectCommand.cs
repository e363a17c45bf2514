using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using DmaSafe.Benchmarks.Analyzers.Generation;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The <c>analyzer-project</c> verb: generates the benchmark's driver project and checks it (it compiles, DmaSafe reports
/// what was planted, per-analyzer time of one run), then runs whichever measurements its options ask for. Each option's
/// description (<c>analyzer-project --help</c>) says what it measures; docs/PERFORMANCE.md gives the commands used.
/// </summary>
internal static class AnalyzerProjectCommand
{
    public const string Verb = "analyzer-project";

    private static readonly Option<int> Seed = Count("--seed", "The generator's seed.", DriverProjectSpec.Default.Seed);
    private static readonly Option<int> Files = Count("--files", "How many source files to generate.", DriverProjectSpec.Default.FileCount);
    private static readonly Option<int> Mappings = Count("--mappings", "How many DMA mappings to plant.", DriverProjectSpec.Default.MappingCount);
    private static readonly Option<string?> Output = new("--out") { Description = "Also write the project to this folder as a buildable project." };
    private static readonly Option<string?> Repository = new("--repo") { Description = "The DmaSafe repository the written project references (default: found from the current folder)." };
    private static readonly Option<int> Measure = Count("--measure", "Time the benchmark's variants round-robin for this many rounds (InterleavedMeasurement).");
    private static readonly Option<string?> Baseline = new("--baseline") { Description = "Another build of DmaSafe.Analyzers.dll, timed in the same rounds (--measure, --callback-cpu, --csc-builds)." };
    private static readonly Option<string?> Windows = new("--windows") { Description = "With --measure: write each timed run's start and end to this file, to split a `perf record -k mono` profile by variant." };
    private static readonly Option<int> Warm = Count("--warm", "The per-analyzer driver clock and DmaSafe's phases over this many warm runs (WarmProfile).");
    private static readonly Option<bool> EachAnalyzer = new("--each-analyzer") { Description = "With --measure or --warm: every DmaSafe analyzer alone too." };
    private static readonly Option<bool> Core = new("--core") { Description = "With --measure: only the compiler, EmptyAnalyzer, DmaSafe (and the baseline), so more rounds fit in the same time." };
    private static readonly Option<int> AllocationTypeRuns = Count("--alloc-types", "DmaSafe's extra allocation by type, over this many runs.");
    private static readonly Option<string[]> Repeat = RepeatOption();
    private static readonly Option<int> CallbackCpuRounds = Count("--callback-cpu", "The CPU DmaSafe's callbacks use per run against Emit's, over this many rounds.");
    private static readonly Option<int> CscBuilds = Count("--csc-builds", "Only builds as csc runs them, with and without DmaSafe (and --baseline), for this many rounds (CscBuildMeasurement).");
    private static readonly Option<int> SdkCsc = Count("--sdk-csc", "The installed SDK's own csc as a process per build, with the command line the SDK's build gives it, with and without DmaSafe, for this many rounds.");
    private static readonly Option<int> SdkCscServer = Count("--sdk-csc-server", "The same through compiler servers of its own, one per variant, as a default dotnet build compiles, for this many rounds.");
    private static readonly Option<int> SdkCscSharedServer = Count("--sdk-csc-shared-server", "The same through one compiler server for both variants (session 8's server measure), for this many rounds.");

    /// <summary>The verb, to add to the program's root command.</summary>
    public static Command Create()
    {
        var command = new Command(Verb, "Generates the analyzer benchmark's driver project, checks it, and runs the measurements asked for.")
        {
            Seed, Files, Mappings, Output, Repository, Measure, Baseline, Windows, Warm, EachAnalyzer, Core, AllocationTypeRuns, Repeat,
            CallbackCpuRounds, CscBuilds, SdkCsc, SdkCscServer, SdkCscSharedServer,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parse)
    {
        var spec = DriverProjectSpec.Default with
        {
            Seed = parse.GetValue(Seed),
            FileCount = parse.GetValue(Files),
            MappingCount = parse.GetValue(Mappings),
        };
        var output = parse.GetValue(Output);
        var repository = parse.GetValue(Repository);
        var rounds = parse.GetValue(Measure);
        var eachAnalyzer = parse.GetValue(EachAnalyzer);
        var core = parse.GetValue(Core);
        var allocationRuns = parse.GetValue(AllocationTypeRuns);
        var warmRuns = parse.GetValue(Warm);
        var baseline = parse.GetValue(Baseline);
        var windows = parse.GetValue(Windows);
        var repeat = parse.GetValue(Repeat);
        var repeated = repeat is { Length: 2 } ? repeat[0] : null;
        var repeatRuns = repeated is null ? 0 : int.Parse(repeat![1], NumberStyles.None, CultureInfo.InvariantCulture);
        var callbackRounds = parse.GetValue(CallbackCpuRounds);
        var cscRounds = parse.GetValue(CscBuilds);
        var sdkRounds = parse.GetValue(SdkCsc);
        var sdkServerRounds = parse.GetValue(SdkCscServer);
        var sdkSharedServerRounds = parse.GetValue(SdkCscSharedServer);
        try
        {
            spec.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
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
        var sdkMeasurements = new (int Rounds, SdkCompiler.CompilerHosting Hosting)[]
        {
            (sdkRounds, SdkCompiler.CompilerHosting.ProcessPerBuild),
            (sdkServerRounds, SdkCompiler.CompilerHosting.ServerPerVariant),
            (sdkSharedServerRounds, SdkCompiler.CompilerHosting.SharedServer),
        };
        var temporary = output is null && Array.Exists(sdkMeasurements, m => m.Rounds > 0);
        output ??= temporary ? Path.Combine(Path.GetTempPath(), "dmasafe-sdk-project-" + Guid.NewGuid().ToString("N")) : null;
        if (output is not null)
        {
            var root = repository ?? ProjectFolderWriter.FindRepositoryRoot(Directory.GetCurrentDirectory());
            ProjectFolderWriter.Write(project, output, Path.GetFullPath(root));
            Console.WriteLine($"wrote {Path.Combine(output, ProjectFolderWriter.ProjectFileName)}");
        }

        try
        {
            foreach (var (sdkMeasurementRounds, hosting) in sdkMeasurements)
            {
                if (sdkMeasurementRounds > 0)
                {
                    Console.Write(SdkCompiler.SdkCompilerMeasurement.Run(Path.Combine(output!, ProjectFolderWriter.ProjectFileName), sdkMeasurementRounds, hosting));
                }
            }
        }
        finally
        {
            if (temporary)
            {
                Directory.Delete(output!, recursive: true);
            }
        }

        return check.Matches ? 0 : 1;
    }

    // --repeat VARIANT RUNS: two values, checked here so a typo is a usage error, not an exception mid-run.
    private static Option<string[]> RepeatOption()
    {
        var option = new Option<string[]>("--repeat")
        {
            Description = "Run one variant again and again for a profiler: VARIANT RUNS (" + string.Join(", ", RepeatedVariant.Names) + ").",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        option.Validators.Add(result =>
        {
            var values = result.GetValueOrDefault<string[]>();
            if (values is not { Length: 2 })
            {
                return;
            }

            if (Array.IndexOf(RepeatedVariant.Names, values[0]) < 0)
            {
                result.AddError($"--repeat: unknown variant '{values[0]}'; one of {string.Join(", ", RepeatedVariant.Names)}.");
            }

            if (!int.TryParse(values[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                result.AddError($"--repeat: RUNS must be a non-negative integer, not '{values[1]}'.");
            }
        });
        return option;
    }

    // A count option: a non-negative integer, 0 (the default unless given) meaning "not asked for".
    private static Option<int> Count(string name, string description, int defaultValue = 0)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{name} takes a non-negative integer.");
            }
        });
        return option;
    }
}
