using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// The <c>DmaSafe</c> Meter: what <c>dotnet-counters monitor --counters DmaSafe</c> and OpenTelemetry exporters read.
/// The instruments are shared by every machine in the process (a Meter is process-wide, like the metrics system
/// that collects it); counters carry the <c>device</c> and <c>direction</c> tags, the pool gauge a <c>machine</c> tag.
/// </summary>
internal static class DmaMetrics
{
    public const string MeterName = "DmaSafe";
    public const string DeviceTag = "device";
    public const string DirectionTag = "direction";
    public const string KindTag = "kind";
    public const string MachineTag = "machine";

    private static readonly Meter Meter = new(MeterName, typeof(DmaMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Mappings =
        Meter.CreateCounter<long>("dmasafe.mappings", "{mapping}", "Streaming mappings made (bounced or not).");

    public static readonly Counter<long> Bounces =
        Meter.CreateCounter<long>("dmasafe.bounces", "{bounce}", "Streaming mappings that went through the swiotlb bounce pool.");

    public static readonly Counter<long> BouncedBytes =
        Meter.CreateCounter<long>("dmasafe.bounced_bytes", "By", "Bytes of bounced mappings (each copied through the pool).");

    public static readonly Counter<long> SwiotlbFull =
        Meter.CreateCounter<long>("dmasafe.swiotlb.full", "{event}", "Mappings that needed a bounce but found the swiotlb pool full.");

    public static readonly Counter<long> CoherencyFaults =
        Meter.CreateCounter<long>("dmasafe.coherency_faults", "{fault}", "Corruptions the cache model saw (device data overwritten, CPU writes discarded).");

    public static readonly Counter<long> DebugViolations =
        Meter.CreateCounter<long>("dmasafe.dma_debug.violations", "{violation}", "dma-debug checks that fired.");

    public static readonly ObservableGauge<long> SwiotlbSlotsInUse =
        Meter.CreateObservableGauge("dmasafe.swiotlb.slots_in_use", TelemetryRegistry.ObserveSwiotlbSlots, "{slot}", "2 KiB swiotlb slots holding bounced data, per machine.");

    /// <summary>Makes <paramref name="telemetry"/>'s machine observable and publishes the instruments.</summary>
    public static void Register(DmaTelemetry telemetry)
    {
        // The class has no static constructor, so its fields (the instruments) are created on the first read of one,
        // not on a call to this method. Read one, or a machine made before anything else touched the meter would have
        // no gauge for a listener to observe.
        _ = SwiotlbSlotsInUse;
        TelemetryRegistry.Register(telemetry);
    }

    /// <summary>Counts a mapping; with no listener this is one flag test, inlined into the map path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RecordMapping(DmaDevice device, DmaDirection direction)
    {
        if (Mappings.Enabled)
        {
            AddMapping(device, direction);
        }
    }

    private static void AddMapping(DmaDevice device, DmaDirection direction) =>
        Mappings.Add(1, new KeyValuePair<string, object?>(DeviceTag, device.Name), new KeyValuePair<string, object?>(DirectionTag, DirectionName(direction)));

    /// <summary>Counts a bounce and its bytes; with no listener this is two flag tests, inlined into the bounce path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RecordBounce(DmaDevice device, DmaDirection direction, long size)
    {
        if (Bounces.Enabled || BouncedBytes.Enabled)
        {
            AddBounce(device, direction, size);
        }
    }

    private static void AddBounce(DmaDevice device, DmaDirection direction, long size)
    {
        var deviceTag = new KeyValuePair<string, object?>(DeviceTag, device.Name);
        var directionTag = new KeyValuePair<string, object?>(DirectionTag, DirectionName(direction));
        Bounces.Add(1, deviceTag, directionTag);
        BouncedBytes.Add(size, deviceTag, directionTag);
    }

    public static void RecordSwiotlbFull(DmaDevice device)
    {
        if (SwiotlbFull.Enabled)
        {
            SwiotlbFull.Add(1, new KeyValuePair<string, object?>(DeviceTag, device.Name));
        }
    }

    public static void RecordFault(CoherencyFault fault)
    {
        if (CoherencyFaults.Enabled)
        {
            CoherencyFaults.Add(1, new KeyValuePair<string, object?>(DeviceTag, fault.Device), new KeyValuePair<string, object?>(KindTag, fault.Kind.ToString()));
        }
    }

    public static void RecordViolation(DmaDebugViolation violation)
    {
        if (DebugViolations.Enabled)
        {
            DebugViolations.Add(1, new KeyValuePair<string, object?>(DeviceTag, violation.Device), new KeyValuePair<string, object?>(KindTag, violation.Check));
        }
    }

    /// <summary>Interned tag values: no string is built per measurement.</summary>
    public static string DirectionName(DmaDirection direction) => direction switch
    {
        DmaDirection.Bidirectional => "Bidirectional",
        DmaDirection.ToDevice => "ToDevice",
        DmaDirection.FromDevice => "FromDevice",
        DmaDirection.None => "None",
        _ => direction.ToString(),
    };
}
