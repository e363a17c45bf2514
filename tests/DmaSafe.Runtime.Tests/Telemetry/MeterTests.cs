using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using Xunit;

namespace DmaSafe.Runtime.Tests.Telemetry;

public sealed class MeterTests
{
    [Fact]
    public void CountersCarryDeviceAndDirectionTags()
    {
        using var harness = new TelemetryHarness();
        using var listener = new DmaSafeMeterListener(tags => Equals(Tag(tags, "device"), harness.DeviceName));

        harness.Telemetry.Mapped(harness.Device, 40, DmaDirection.ToDevice, bounced: false);
        harness.Telemetry.Mapped(harness.Device, 40, DmaDirection.FromDevice, bounced: true);
        harness.Telemetry.Bounced(harness.Bounce(size: 40, direction: DmaDirection.FromDevice));
        harness.Telemetry.Bounced(harness.Bounce(size: 100, direction: DmaDirection.FromDevice));

        Assert.Equal(
            new[] { ("dmasafe.mappings", 1L, "ToDevice"), ("dmasafe.mappings", 1L, "FromDevice") },
            listener.Measurements.Where(m => m.Instrument == "dmasafe.mappings").Select(m => (m.Instrument, m.Value, (string)Tag(m.Tags, "direction")!)));
        Assert.Equal(new[] { 1L, 1L }, listener.Values("dmasafe.bounces"));
        Assert.Equal(new[] { 40L, 100L }, listener.Values("dmasafe.bounced_bytes"));
        Assert.All(listener.Measurements.Where(m => m.Instrument.StartsWith("dmasafe.bounce", StringComparison.Ordinal)), m => Assert.Equal("FromDevice", Tag(m.Tags, "direction")));
    }

    [Fact]
    public void SwiotlbFullFaultsAndViolationsAreCounted()
    {
        using var harness = new TelemetryHarness(new MachineOptions { OnDebugViolation = DebugViolationAction.Record });
        using var listener = new DmaSafeMeterListener(tags => Equals(Tag(tags, "device"), harness.DeviceName));

        harness.Telemetry.SwiotlbFull(harness.Device, 4096, 32, 32);
        harness.Telemetry.Fault(new CoherencyFault(CoherencyFaultKind.DeviceDataOverwritten, harness.DeviceName, 0x2000, 0x2000, 4, "eviction", []));
        harness.Telemetry.Violation(new DmaDebugViolation("unmap-size", harness.DeviceName, "size mismatch", null, null));

        Assert.Equal(new[] { 1L }, listener.Values("dmasafe.swiotlb.full"));
        var fault = Assert.Single(listener.Measurements, m => m.Instrument == "dmasafe.coherency_faults");
        Assert.Equal("DeviceDataOverwritten", Tag(fault.Tags, "kind"));
        var violation = Assert.Single(listener.Measurements, m => m.Instrument == "dmasafe.dma_debug.violations");
        Assert.Equal("unmap-size", Tag(violation.Tags, "kind"));
    }

    [Fact]
    public void TheSlotGaugeReportsEachMachineThatProvidesAReader()
    {
        using var first = new TelemetryHarness();
        using var second = new TelemetryHarness();
        using var withoutPool = new TelemetryHarness();
        withoutPool.Telemetry.SwiotlbSlotsInUse = null; // the harness machine has a pool, and the DMA layer now wires its reader
        long used = 7;
        first.Telemetry.SwiotlbSlotsInUse = () => used;
        second.Telemetry.SwiotlbSlotsInUse = () => 3;
        withoutPool.Telemetry.SwiotlbSlotsInUse = null; // the DMA layer wires every machine's pool; take this one's reader away
        var ids = new[] { first.Telemetry.MachineId, second.Telemetry.MachineId, withoutPool.Telemetry.MachineId };
        using var listener = new DmaSafeMeterListener(tags => Tag(tags, "machine") is long id && ids.Contains(id));

        listener.Observe();
        used = 9;
        listener.Observe();

        var gauge = listener.Measurements.Where(m => m.Instrument == "dmasafe.swiotlb.slots_in_use").ToList();
        Assert.Equal(new[] { 7L, 9L }, gauge.Where(m => Equals(Tag(m.Tags, "machine"), first.Telemetry.MachineId)).Select(m => m.Value));
        Assert.Equal(new[] { 3L, 3L }, gauge.Where(m => Equals(Tag(m.Tags, "machine"), second.Telemetry.MachineId)).Select(m => m.Value));
        Assert.DoesNotContain(gauge, m => Equals(Tag(m.Tags, "machine"), withoutPool.Telemetry.MachineId));
    }

    [Fact]
    public void ADisposedMachineLeavesTheGauge()
    {
        var harness = new TelemetryHarness();
        harness.Telemetry.SwiotlbSlotsInUse = () => 5;
        var id = harness.Telemetry.MachineId;
        using var listener = new DmaSafeMeterListener(tags => Equals(Tag(tags, "machine"), id));

        listener.Observe();
        harness.Dispose();
        listener.Observe();

        Assert.Equal(new[] { 5L }, listener.Values("dmasafe.swiotlb.slots_in_use"));
    }

    [Fact]
    public void MachinesThatAreGoneLeaveTheRegistryEvenWithoutACollector()
    {
        for (var i = 0; i < 2 * 256; i++)
        {
            new TelemetryHarness().Dispose();
        }

        // Two sweeps ran; what is left are machines made since the last one and those other tests hold right now.
        Assert.InRange(TelemetryRegistry.Count, 0, 256 + 64);
    }

    [Fact]
    public void InstrumentsBelongToTheDmaSafeMeterWithUnits()
    {
        using var harness = new TelemetryHarness();
        using var listener = new DmaSafeMeterListener(_ => true);
        var units = listener.Instruments.ToDictionary(i => i.Name, i => i.Unit);

        Assert.Equal("{mapping}", units["dmasafe.mappings"]);
        Assert.Equal("{bounce}", units["dmasafe.bounces"]);
        Assert.Equal("By", units["dmasafe.bounced_bytes"]);
        Assert.Equal("{event}", units["dmasafe.swiotlb.full"]);
        Assert.Equal("{fault}", units["dmasafe.coherency_faults"]);
        Assert.Equal("{slot}", units["dmasafe.swiotlb.slots_in_use"]);
        Assert.All(listener.Instruments, i => Assert.Equal("DmaSafe", i.Meter.Name));
    }

    private static object? Tag(IReadOnlyList<KeyValuePair<string, object?>> tags, string key) =>
        tags.FirstOrDefault(tag => tag.Key == key).Value;

    private sealed record Measured(string Instrument, long Value, IReadOnlyList<KeyValuePair<string, object?>> Tags);

    /// <summary>Listens to the DmaSafe meter and keeps the measurements <c>keep</c> accepts (other tests measure at the same time).</summary>
    private sealed class DmaSafeMeterListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<Measured> _measurements = new();
        private readonly ConcurrentQueue<Instrument> _instruments = new();

        public DmaSafeMeterListener(Func<IReadOnlyList<KeyValuePair<string, object?>>, bool> keep)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "DmaSafe")
                {
                    _instruments.Enqueue(instrument);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var copy = tags.ToArray();
                if (keep(copy))
                {
                    _measurements.Enqueue(new Measured(instrument.Name, value, copy));
                }
            });
            _listener.Start();
        }

        public List<Measured> Measurements => _measurements.ToList();

        public List<Instrument> Instruments => _instruments.ToList();

        public IEnumerable<long> Values(string instrument) => Measurements.Where(m => m.Instrument == instrument).Select(m => m.Value);

        public void Observe() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();
    }
}
