using BenchmarkDotNet.Attributes;

namespace DmaSafe.Benchmarks;

/// <summary>
/// What telemetry adds to one streaming mapping, measured at the hooks the DMA layer calls (Mapped for every
/// mapping; Mapped + Bounced for a bounced one): bounce profile, counters, EventSource check, with no listener
/// attached and reports off, as a machine runs by default. The ratio to the whole bounce path is in
/// docs/PERFORMANCE.md ("Telemetry").
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private Machine _machine = null!;
    private DmaDevice _device = null!;
    private BounceEvent[] _bounces = null!;
    private int _next;

    /// <summary>How many (allocation site, map site) pairs take turns: 1 is a burst at one site, 16 misses the last-site cache every time.</summary>
    [Params(1, 16)]
    public int Sites { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _machine = new Machine(new MachineOptions { MemoryBytes = 4L << 20, SwiotlbBytes = 256L << 10 });
        _device = _machine.AddDevice("nic0");

        // Sites as the compiler passes them: interned literal strings, realistic path lengths; one map site per slot.
        var allocation = new SourceSite("Probe", "/home/dev/src/drivers/net/FastNic/FastNicDevice.cs", 212);
        _bounces = new BounceEvent[Sites];
        for (var site = 0; site < Sites; site++)
        {
            var map = new SourceSite("RefillRxRing", "/home/dev/src/drivers/net/FastNic/FastNicRxRing.cs", 87 + site);
            _bounces[site] = new BounceEvent(_device, 0x1008, 40, DmaDirection.FromDevice, 8, allocation, map);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    /// <summary>A mapping that did not bounce: telemetry only checks whether anyone listens to the mapping counter.</summary>
    [Benchmark]
    public void PlainMapping() => _machine.Telemetry.Mapped(_device, 40, DmaDirection.FromDevice, bounced: false);

    /// <summary>A bounced mapping: the mapping counter check, then the profile, bounce counters and EventSource check.</summary>
    [Benchmark]
    public void BouncedMapping()
    {
        ref readonly var bounce = ref _bounces[_next];
        _next = _next + 1 == _bounces.Length ? 0 : _next + 1;
        _machine.Telemetry.Mapped(_device, 40, DmaDirection.FromDevice, bounced: true);
        _machine.Telemetry.Bounced(bounce);
    }
}
