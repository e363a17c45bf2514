using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using DmaSafe;
using DmaSafe.Benchmarks.Threading;

namespace DmaSafe.Benchmarks;

/// <summary>
/// kmalloc + kfree of 64 bytes against the process allocator (target: at most 0.5× of NativeMemory.Alloc + Free),
/// and the same loop on one and two threads (target: two threads at least 1.6× the throughput of one). Two controls
/// show what the machine itself allows on two threads: the process allocator, and a loop of register arithmetic that
/// touches no memory at all.
/// </summary>
[MemoryDiagnoser]
public unsafe class KmallocBenchmarks
{
    private const int OpsPerThread = 100_000;
    private Machine _machine = null!;
    private Machine _secondMachine = null!;
    private TwoThreadRunner? _twoThreads;
    private ulong _sink;

    [GlobalSetup(Targets = [nameof(NativeMemoryAllocFree64), nameof(KmallocKfree64), nameof(Arithmetic)])]
    public void Setup() => _machine = new Machine();

    // Only the two-thread cases start the second thread: it spins between runs, and would take the other core from
    // the one-thread cases.
    [GlobalSetup(Targets = [nameof(KmallocKfree64_TwoThreads), nameof(KmallocKfree64_TwoThreads_TwoMachines), nameof(NativeMemoryAllocFree64_TwoThreads), nameof(Arithmetic_TwoThreads)])]
    public void SetupTwoThreads()
    {
        Setup();
        _secondMachine = new Machine();
        _twoThreads = new TwoThreadRunner();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _twoThreads?.Dispose();
        _machine.Dispose();
        _secondMachine?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OpsPerThread)]
    public void NativeMemoryAllocFree64() => NativeLoop();

    [Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void KmallocKfree64() => KmallocLoop(_machine);

    /// <summary>Two threads, each doing the one-thread loop at the same time: time per operation over both.</summary>
    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void KmallocKfree64_TwoThreads() => _twoThreads!.Run(() => KmallocLoop(_machine));

    /// <summary>
    /// Control: each thread on its own machine, so nothing of the allocator is shared. Against the one-machine case it
    /// shows whether the threads of one machine slow each other down.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void KmallocKfree64_TwoThreads_TwoMachines()
    {
        var first = _machine;
        var second = _secondMachine;
        var caller = Environment.CurrentManagedThreadId;
        _twoThreads!.Run(() => KmallocLoop(Environment.CurrentManagedThreadId == caller ? first : second));
    }

    /// <summary>Control: the process allocator on the same two threads.</summary>
    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void NativeMemoryAllocFree64_TwoThreads() => _twoThreads!.Run(NativeLoop);

    /// <summary>Control: a dependent chain of register arithmetic (xorshift), about a nanosecond per step.</summary>
    [Benchmark(OperationsPerInvoke = OpsPerThread)]
    public void Arithmetic() => _sink = ArithmeticLoop(_sink);

    /// <summary>
    /// Control: the same chain on two threads. Nothing is shared, so this is the machine's own two-thread scaling
    /// (on a VM, what the host really gives the second vCPU).
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2 * OpsPerThread)]
    public void Arithmetic_TwoThreads() => _twoThreads!.Run(() => ArithmeticLoop((ulong)Environment.CurrentManagedThreadId));

    private static void NativeLoop()
    {
        for (var i = 0; i < OpsPerThread; i++)
        {
            NativeMemory.Free(NativeMemory.Alloc(64));
        }
    }

    private static void KmallocLoop(Machine machine)
    {
        for (var i = 0; i < OpsPerThread; i++)
        {
            machine.Kfree(machine.Kmalloc(64));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong ArithmeticLoop(ulong seed)
    {
        var x = seed | 1;
        for (var i = 0; i < OpsPerThread; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return x;
    }
}
