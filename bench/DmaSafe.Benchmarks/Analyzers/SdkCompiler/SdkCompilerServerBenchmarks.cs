using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// <see cref="SdkCompilerBenchmarkBase"/> through compiler servers of the benchmark's own, one per variant
/// (<see cref="CompilerHosting.ServerPerVariant"/>), as a default <c>dotnet build</c> compiles. BenchmarkDotNet runs each
/// benchmark in a process of its own, one after the other, so the two are timed minutes apart: on this VM, drift
/// between them can exceed the difference (the interleaved <c>analyzer-project --sdk-csc-server</c> does not have that
/// problem). Ten warm-up builds let the server's JIT settle (a fresh server's builds took 12.4, 9.4, then 6.9 down to
/// 4.3 s over the next eight).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 20)]
public class SdkCompilerServerBenchmarks : SdkCompilerBenchmarkBase
{
    public SdkCompilerServerBenchmarks()
        : base(useServer: true)
    {
    }
}
