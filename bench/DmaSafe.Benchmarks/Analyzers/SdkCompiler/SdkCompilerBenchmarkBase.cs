using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using DmaSafe.Benchmarks.Analyzers.Generation;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// DmaSafe's cost on the generated 2,000-file, 1,000-mapping driver project as a real build pays it: the installed
/// SDK's csc with the command line the SDK's build gives it (<see cref="SdkCompilerRuns"/>). The baseline is that build
/// without DmaSafe: the SDK's own analyzers and generators are in both. Each iteration is one build, timed by wall
/// clock; the interleaved wall and CPU figures come from <c>analyzer-project --sdk-csc</c> and <c>--sdk-csc-server</c>.
/// The subclasses choose the hosting. Target: DmaSafe adds at most 3%.
/// </summary>
public abstract class SdkCompilerBenchmarkBase
{
    private readonly bool _useServer;
    private string _projectFolder = null!;
    private SdkCompilerRuns _runs = null!;

    protected SdkCompilerBenchmarkBase(bool useServer) => _useServer = useServer;

    [GlobalSetup]
    public void Setup()
    {
        _projectFolder = Path.Combine(Path.GetTempPath(), "dmasafe-sdk-project-" + Guid.NewGuid().ToString("N"));
        var repository = ProjectFolderWriter.FindRepositoryRoot(AppContext.BaseDirectory);
        ProjectFolderWriter.Write(SyntheticDriverProject.Generate(DriverProjectSpec.Default), _projectFolder, repository);
        var hosting = _useServer ? CompilerHosting.ServerPerVariant : CompilerHosting.ProcessPerBuild;
        _runs = SdkCompilerRuns.Prepare(Path.Combine(_projectFolder, ProjectFolderWriter.ProjectFileName), hosting);
        Console.WriteLine($"// {_runs.CompilerPath} through {_runs.Hosting}; DmaSafe reports {_runs.DmaSafeWarnings} warnings per build");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runs.Dispose();
        Directory.Delete(_projectFolder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "SDK csc, the SDK's analyzers and generators")]
    public double WithoutDmaSafe() => _runs.Run(0).WallMs;

    [Benchmark(Description = "SDK csc + DmaSafe analyzers")]
    public double WithDmaSafe() => _runs.Run(1).WallMs;
}
