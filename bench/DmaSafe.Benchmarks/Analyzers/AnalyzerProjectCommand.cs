using System;
using System.Globalization;
using System.IO;
using DmaSafe.Benchmarks.Analyzers.Generation;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// <c>analyzer-project [--seed N] [--files N] [--mappings N] [--out DIR] [--repo DIR]</c>: generates the benchmark's
/// driver project, checks it (compiles, DmaSafe reports what was planted, per-analyzer time of one run) and, with
/// --out, writes it to a folder as a buildable project.
/// </summary>
internal static class AnalyzerProjectCommand
{
    public const string Verb = "analyzer-project";

    public static int Run(string[] args)
    {
        var spec = DriverProjectSpec.Default;
        string? output = null;
        string? repository = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--seed": spec = spec with { Seed = ParseCount(args[i], value) }; break;
                case "--files": spec = spec with { FileCount = ParseCount(args[i], value) }; break;
                case "--mappings": spec = spec with { MappingCount = ParseCount(args[i], value) }; break;
                case "--out": output = value; break;
                case "--repo": repository = value; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Usage: {Verb} [--seed N] [--files N] [--mappings N] [--out DIR] [--repo DIR]");
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
        var check = DriverProjectCheck.RunAsync(DriverProjectCompilation.Create(project)).GetAwaiter().GetResult();
        Console.Write(check.Describe());
        if (output is not null)
        {
            var root = repository ?? ProjectFolderWriter.FindRepositoryRoot(Directory.GetCurrentDirectory());
            ProjectFolderWriter.Write(project, output, Path.GetFullPath(root));
            Console.WriteLine($"wrote {Path.Combine(output, ProjectFolderWriter.ProjectFileName)}");
        }

        return check.Matches ? 0 : 1;
    }

    private static int ParseCount(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{option} takes a non-negative integer, not '{value}'.");
}
