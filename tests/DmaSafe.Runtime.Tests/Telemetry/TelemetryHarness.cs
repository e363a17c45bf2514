using System;
using System.Threading;

namespace DmaSafe.Runtime.Tests.Telemetry;

/// <summary>
/// A small machine and a uniquely named device, so events and measurements from other tests running at the same
/// time (instruments and EventSources are process-wide) can be told apart by device name.
/// </summary>
internal sealed class TelemetryHarness : IDisposable
{
    private static int s_nextDevice;

    public TelemetryHarness(MachineOptions? options = null)
    {
        Machine = new Machine((options ?? new MachineOptions()) with { MemoryBytes = 1L << 20, SwiotlbBytes = 64L << 10 });
        DeviceName = $"telemetry-dev-{Interlocked.Increment(ref s_nextDevice)}-{Guid.NewGuid():N}";
        Device = Machine.AddDevice(DeviceName);
    }

    public static SourceSite AllocSite { get; } = new("Probe", "/src/Driver/Probe.cs", 12);

    public static SourceSite MapSite { get; } = new("Receive", "/src/Driver/Rx.cs", 40);

    public Machine Machine { get; }

    public DmaDevice Device { get; }

    public string DeviceName { get; }

    internal DmaTelemetry Telemetry => Machine.Telemetry;

    public BounceEvent Bounce(
        nuint size = 40,
        DmaDirection direction = DmaDirection.FromDevice,
        int offsetInLine = 8,
        SourceSite? allocation = null,
        SourceSite? map = null) =>
        new(Device, 0x1000 + (nuint)offsetInLine, size, direction, offsetInLine, allocation ?? AllocSite, map ?? MapSite);

    public void Dispose() => Machine.Dispose();
}
