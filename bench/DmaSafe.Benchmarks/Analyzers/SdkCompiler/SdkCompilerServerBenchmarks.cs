using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// <see cref="SdkCompilerBenchmarkBase"/> through a compiler server of the benchmark's own, as a default
/// <c>dotnet build</c> compiles: each benchmark's process starts its own server, and ten warm-up builds let the server's
/// JIT settle (a fresh server's builds took 12.4, 9.4, then 6.9 down to 4.3 s over the next eight).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 10, iterationCount: 20)]
public class SdkCompilerServerBenchmarks : SdkCompilerBenchmarkBase
{
    public SdkCompilerServerBenchmarks()
        : base(useServer: true)
    {
    }
}
