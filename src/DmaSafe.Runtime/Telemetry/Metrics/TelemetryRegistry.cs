using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace DmaSafe;

/// <summary>
/// The machines alive in the process, for observable instruments that must ask each one. Held weakly so a machine
/// that is dropped without Dispose is still collected; disposed and collected machines leave on the next observation.
/// </summary>
internal static class TelemetryRegistry
{
    private static readonly ConcurrentDictionary<long, WeakReference<DmaTelemetry>> Machines = new();

    public static void Register(DmaTelemetry telemetry) => Machines[telemetry.MachineId] = new WeakReference<DmaTelemetry>(telemetry);

    public static IEnumerable<Measurement<long>> ObserveSwiotlbSlots()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (id, reference) in Machines)
        {
            if (!reference.TryGetTarget(out var telemetry) || telemetry.Machine.IsDisposed)
            {
                Machines.TryRemove(id, out _);
                continue;
            }

            var slotsInUse = telemetry.SwiotlbSlotsInUse;
            if (slotsInUse is null)
            {
                continue;
            }

            try
            {
                measurements.Add(new Measurement<long>(slotsInUse(), new KeyValuePair<string, object?>(DmaMetrics.MachineTag, id)));
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the check and the call: it has no pool to report any more.
                Machines.TryRemove(id, out _);
            }
        }

        return measurements;
    }
}
