using System;
using DmaSafe;
using DriverSample.Driver;

namespace DriverSample.Demo;

/// <summary>
/// Runs the driver the way a test would: a fresh non-coherent machine with random eviction, a probe that reads the
/// serial number, then burst reads on rotating channels, counting what the cache model reports.
/// </summary>
public static class Workload
{
    public static unsafe WorkloadResult Run<TState>(string layout, BouncePolicy policy, int transfers, int seed, Action<int>? progress = null)
        where TState : unmanaged, IAdcState<TState>
    {
        var options = new MachineOptions
        {
            BouncePolicy = policy,
            Eviction = EvictionPolicy.Random,
            Seed = seed,
            MemoryBytes = 8 << 20,
            SwiotlbBytes = 1 << 20,
        };
        using var machine = new Machine(options);
        var spi = new SpiController(machine.AddDevice("spi0"));
        using var driver = new Mcp3208Driver<TState>(machine, spi);
        driver.ReadSerialNumber([0x00, 0x04, 0xA3, 0x1F, 0x77, 0x02]);

        var random = new Random(seed);
        var conversions = new ushort[Mcp3208Driver<TState>.BurstLength];
        int completed = 0;
        long corrupted = 0, lost = 0;
        for (var i = 0; i < transfers; i++)
        {
            for (var j = 0; j < conversions.Length; j++)
            {
                conversions[j] = (ushort)random.Next(0, 4096);
            }

            var result = driver.ReadBurst(i % 8, conversions);
            completed += result.Completed ? 1 : 0;
            corrupted += result.SampleBytesCorrupted;
            lost += result.CpuBytesLost;
            if ((i & 255) == 0)
            {
                progress?.Invoke(i);
            }
        }

        return new WorkloadResult(
            layout, policy, transfers, completed, machine.Bounces.TotalBounces, machine.Bounces.TotalBouncedBytes,
            machine.Faults.Count, corrupted, lost, machine.Bounces);
    }
}
