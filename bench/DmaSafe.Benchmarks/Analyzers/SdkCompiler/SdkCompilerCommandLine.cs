using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// The command line the installed SDK's build gives csc for a project, and that SDK's csc.dll, asked from MSBuild as the
/// IDE's project system asks for it (CoreCompile with SkipCompilerExecution and ProvideCommandLineArgs), so the
/// compiler can then be run again and again, with and without one analyzer, as the build runs it: the SDK's own
/// ReadyToRun compiler, its runtimeconfig (server GC), every analyzer and generator the SDK adds by default.
/// </summary>
internal sealed class SdkCompilerCommandLine
{
    private const string DmaSafeAnalyzerFile = "DmaSafe.Analyzers.dll";
    private const string NoConfig = "/noconfig";

    private SdkCompilerCommandLine(string projectFolder, string compilerPath, IReadOnlyList<string> arguments)
    {
        ProjectFolder = projectFolder;
        CompilerPath = compilerPath;
        Arguments = arguments;
    }

    /// <summary>The folder csc runs in: the command line's paths are relative to it.</summary>
    public string ProjectFolder { get; }

    /// <summary>The SDK's csc.dll (run with <c>dotnet exec</c>).</summary>
    public string CompilerPath { get; }

    /// <summary>csc's arguments, one per item, as MSBuild passes them.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The arguments that must be on csc's own command line, before the response file (/noconfig).</summary>
    public IReadOnlyList<string> LeadingArguments => Arguments.Contains(NoConfig) ? [NoConfig] : [];

    /// <summary>
    /// Builds <paramref name="projectFile"/> once (which restores it, builds the DmaSafe runtime and analyzers it
    /// references, and shows that it compiles), then asks MSBuild for the compiler's command line.
    /// </summary>
    public static SdkCompilerCommandLine Query(string projectFile)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        DotnetCli.Run(folder, "build", projectFile, "-c", "Release", "-nologo", "-v:q");

        // NonExistentFile is one of CoreCompile's outputs, so naming a file that is never written makes the target run
        // even though the build above left it up to date; the references are not built again.
        var json = DotnetCli.Run(folder, "build", projectFile, "-c", "Release", "-nologo", "-v:q", "-t:Compile",
            "-p:BuildProjectReferences=false", "-p:ProvideCommandLineArgs=true", "-p:SkipCompilerExecution=true",
            "-p:NonExistentFile=__DmaSafeBenchmarkAlwaysCompile__", "-getItem:CscCommandLineArgs", "-getProperty:RoslynTargetsPath");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var roslyn = root.GetProperty("Properties").GetProperty("RoslynTargetsPath").GetString()
            ?? throw new InvalidOperationException("MSBuild did not report RoslynTargetsPath.");
        var compiler = Path.GetFullPath(Path.Combine(roslyn, "bincore", "csc.dll"));
        if (!File.Exists(compiler))
        {
            throw new FileNotFoundException($"The SDK's compiler is not where RoslynTargetsPath says: {compiler}.", compiler);
        }

        var arguments = root.GetProperty("Items").GetProperty("CscCommandLineArgs").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString() ?? "")
            .ToArray();
        if (arguments.Length == 0)
        {
            throw new InvalidOperationException($"MSBuild returned no compiler command line for {projectFile} (CoreCompile did not run).");
        }

        if (arguments.Count(IsDmaSafeAnalyzer) != 1)
        {
            throw new InvalidOperationException($"The command line for {projectFile} does not load {DmaSafeAnalyzerFile} exactly once.");
        }

        return new SdkCompilerCommandLine(folder, compiler, arguments);
    }

    /// <summary>
    /// Writes a response file for one variant: the build's arguments with the outputs sent to
    /// <paramref name="outputFolder"/> (so the runs do not touch the project's own obj folder) and, unless
    /// <paramref name="withDmaSafe"/>, without the DmaSafe analyzer. Returns its path.
    /// </summary>
    public string WriteResponseFile(string outputFolder, string name, bool withDmaSafe)
    {
        Directory.CreateDirectory(Path.Combine(outputFolder, "ref"));
        var lines = new List<string> { "/nologo" };
        foreach (var argument in Arguments)
        {
            // csc ignores /noconfig in a response file (CS2023) and would then read its default csc.rsp.
            if ((!withDmaSafe && IsDmaSafeAnalyzer(argument)) || argument == NoConfig)
            {
                continue;
            }

            lines.Add(argument switch
            {
                _ when argument.StartsWith("/out:", StringComparison.Ordinal) => "/out:" + Quote(Path.Combine(outputFolder, name + ".dll")),
                _ when argument.StartsWith("/refout:", StringComparison.Ordinal) => "/refout:" + Quote(Path.Combine(outputFolder, "ref", name + ".dll")),
                _ when argument.StartsWith("/reportanalyzer", StringComparison.Ordinal) => "",
                _ => QuoteFileArgument(argument),
            });
        }

        var path = Path.Combine(outputFolder, name + ".rsp");
        File.WriteAllLines(path, lines.Where(line => line.Length > 0), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private static bool IsDmaSafeAnalyzer(string argument) =>
        argument.StartsWith("/analyzer:", StringComparison.Ordinal)
        && Path.GetFileName(argument.Substring("/analyzer:".Length).Trim('"')).Equals(DmaSafeAnalyzerFile, StringComparison.OrdinalIgnoreCase);

    // MSBuild passes options already quoted, file names as they are; csc would split an unquoted source name at a comma
    // or a semicolon (".NETCoreApp,Version=v10.0.AssemblyAttributes.cs").
    private static string QuoteFileArgument(string argument) =>
        argument.StartsWith('/') || argument.StartsWith('"') || argument.IndexOfAny([' ', ',', ';']) < 0 ? argument : Quote(argument);

    private static string Quote(string path) => "\"" + path + "\"";
}
