using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>
/// <see cref="SdkCompilerBenchmarkBase"/> with a compiler process per build, as <c>UseSharedCompilation=false</c> builds:
/// every build pays start-up and JIT. The Monitoring strategy: no pilot, no unrolling, one csc per iteration.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 15)]
public class SdkCompilerBenchmarks : SdkCompilerBenchmarkBase
{
    public SdkCompilerBenchmarks()
        : base(useServer: false)
    {
    }
}
