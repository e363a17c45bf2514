using System.Runtime.InteropServices;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using DmaSafe;

namespace DmaSafe.Benchmarks;

/// <summary>
/// kmalloc + kfree of 64 bytes against the process allocator (target: at most 0.5× of NativeMemory.Alloc + Free),
/// and the same loop on one and two threads (target: two threads at least 1.6× the throughput of one).
/// </summary>
[MemoryDiagnoser]
public unsafe class KmallocBenchmarks
{
    private const int OpsPerThread = 100_000;
    private Machine _machine = null!;

    [GlobalSetup]
    public void Setup() => _machine = new Machine();

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = OpsPerThread)]
    public void NativeMemoryAllocFree64()
    {
        for (var i = 0; i < OpsPerThread; i++)
        {
            NativeMemory.Free(NativeMemory.Alloc(64));
        }
    }

    [Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void KmallocKfree64() => Loop(_machine);

    /// <summary>Two threads, each doing the single-thread loop: time per operation over both.</summary>
    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void KmallocKfree64_TwoThreads() => Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ => Loop(_machine));

    /// <summary>
    /// Control for the two-thread figure: the process allocator on the same two threads. On a 2-core machine shared
    /// with other work, this shows how much of a second core the run actually got.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void NativeMemoryAllocFree64_TwoThreads() =>
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
        {
            for (var i = 0; i < OpsPerThread; i++)
            {
                NativeMemory.Free(NativeMemory.Alloc(64));
            }
        });

    private static void Loop(Machine machine)
    {
        for (var i = 0; i < OpsPerThread; i++)
        {
            machine.Kfree(machine.Kmalloc(64));
        }
    }
}
