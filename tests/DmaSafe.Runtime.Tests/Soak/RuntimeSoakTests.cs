using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace DmaSafe.Runtime.Tests.Soak;

/// <summary>
/// The runtime under concurrent load: 2-4 threads per machine, one machine per bounce policy, a 16-slot bounce pool
/// that runs out and recovers, eviction on. Checked continuously: live objects never overlap, no byte is lost under
/// Alignment and Always, a mapping fails only when it needed a bounce. Checked at the end: every swiotlb slot is back,
/// the bounce profile and the Meter agree with what the threads counted themselves, and nothing hung (a watchdog
/// fails the test instead). <c>DMASAFE_SOAK_SECONDS</c> sets the seconds per machine (CI default 1.5).
/// </summary>
public sealed class RuntimeSoakTests(ITestOutputHelper output)
{
    /// <summary>How long past its deadline a run may take to wind down before it counts as a deadlock.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    public static TheoryData<BouncePolicy, EvictionPolicy, int> Configurations => new()
    {
        { BouncePolicy.Alignment, EvictionPolicy.Random, 4 },
        { BouncePolicy.Alignment, EvictionPolicy.Adversarial, 3 },
        { BouncePolicy.Always, EvictionPolicy.Random, 2 },
        { BouncePolicy.KmallocSize, EvictionPolicy.Random, 3 },
        { BouncePolicy.Never, EvictionPolicy.None, 2 },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Soak(BouncePolicy policy, EvictionPolicy eviction, int threads)
    {
        var configuration = new SoakConfiguration(policy, eviction, threads, SoakConfiguration.BaseSeed + (int)policy * 100 + (int)eviction * 10 + threads);
        var run = Guid.NewGuid().ToString("N")[..8];
        using var machine = new Machine(configuration.Options);
        var devices = new[]
        {
            machine.AddDevice($"soak-{run}-spi"),
            machine.AddDevice($"soak-{run}-nic"),
            machine.AddDevice($"soak-{run}-coherent", coherent: true),
        };
        using var meter = new SoakMeterListener(devices.Select(d => d.Name), machine.Telemetry.MachineId);
        var registry = new LiveObjectRegistry();
        var tally = new SoakTally();
        var workers = Enumerable.Range(0, threads)
            .Select(i => new SoakWorker(machine, devices, registry, tally, configuration, configuration.Seed * 31 + i))
            .ToArray();

        var elapsed = RunAll(workers, TimeSpan.FromSeconds(SoakConfiguration.Seconds), configuration);

        output.WriteLine($"{configuration}: {tally.Operations / elapsed.TotalSeconds:F0} ops/s over {elapsed.TotalSeconds:F1} s; {tally}; " +
            $"{machine.Faults.Count} faults, {machine.DebugViolations.Count} dma-debug reports");

        Assert.Equal(0, registry.Count);
        Assert.Equal(tally.Allocations, tally.Frees);
        Assert.True(tally.Mappings > 0, "the soak made no mapping");

        using (machine.DmaLock.EnterScope())
        {
            Assert.True(machine.Swiotlb.UsedSlots == 0, $"{machine.Swiotlb.UsedSlots} swiotlb slots still in use after every mapping was unmapped");
        }

        Assert.Equal(0, meter.SlotsInUse());

        // The runtime's own accounting against the threads' independent count.
        Assert.Equal(tally.Bounces, machine.Bounces.TotalBounces);
        Assert.Equal(tally.BouncedBytes, machine.Bounces.TotalBouncedBytes);
        Assert.Equal(tally.Mappings, meter.Sum("dmasafe.mappings"));
        Assert.Equal(tally.Bounces, meter.Sum("dmasafe.bounces"));
        Assert.Equal(tally.BouncedBytes, meter.Sum("dmasafe.bounced_bytes"));
        Assert.Equal(tally.SwiotlbFull, meter.Sum("dmasafe.swiotlb.full"));
        Assert.Equal(machine.Faults.Count, meter.Sum("dmasafe.coherency_faults"));
        Assert.Equal(machine.DebugViolations.Count, meter.Sum("dmasafe.dma_debug.violations"));

        // Neighbouring small objects of different threads may be mapped at once on one line: dma-debug says so, as
        // Linux does; the bounce makes it harmless. Any other report is a bug in the soak or the runtime.
        Assert.All(machine.DebugViolations, v => Assert.StartsWith("overlap", v.Check, StringComparison.Ordinal));

        if (configuration.ByteExact)
        {
            Assert.Empty(machine.Faults);
            Assert.Equal(0, tally.BytesLost);
        }
        else if (tally.BytesLost > 0)
        {
            // KmallocSize and Never lose bytes by design, but never silently: the model must have recorded faults.
            Assert.NotEmpty(machine.Faults);
        }

        if (policy == BouncePolicy.Always)
        {
            Assert.True(tally.SwiotlbFull > 0, "the 16-slot pool never ran out: the soak did not test exhaustion");
            Assert.True(tally.Recoveries > 0, "no bounce succeeded after the pool ran out: the soak did not test recovery");
        }
    }

    private static TimeSpan RunAll(SoakWorker[] workers, TimeSpan duration, SoakConfiguration configuration)
    {
        using var stop = new CancellationTokenSource();
        var failures = new Exception?[workers.Length];
        var until = DateTime.UtcNow + duration;
        var clock = Stopwatch.StartNew();
        var threads = workers.Select((worker, i) => new Thread(() =>
        {
            try
            {
                worker.Run(until, stop.Token);
            }
            catch (Exception e)
            {
                failures[i] = e;
                stop.Cancel();
            }
        })
        {
            IsBackground = true, // a deadlocked worker must not keep the test host alive
            Name = $"soak worker {i}",
        }).ToArray();

        foreach (var thread in threads)
        {
            thread.Start();
        }

        var deadline = duration + Grace;
        foreach (var (thread, i) in threads.Select((t, i) => (t, i)))
        {
            var left = deadline - clock.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                stop.Cancel();
                Assert.Fail($"{configuration}: worker {i} did not finish within {deadline.TotalSeconds:F0} s (deadlock?); " +
                    string.Join("; ", workers.Select((w, n) => $"worker {n}: {w.Current}")));
            }
        }

        var failed = failures.Select((e, i) => (e, i)).Where(f => f.e is not null).ToList();
        if (failed.Count > 0)
        {
            throw new AggregateException($"{configuration}: {failed.Count} worker(s) failed (replay with DMASAFE_SOAK_SEED={SoakConfiguration.BaseSeed})", failed.Select(f => f.e!));
        }

        return clock.Elapsed;
    }
}
