using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using Xunit;

namespace DmaSafe.Runtime.Tests.Telemetry;

public sealed class EventSourceTests
{
    [Fact]
    public void TheEventSourceIsNamedDmaSafe()
    {
        Assert.Equal("DmaSafe", DmaEventSource.Log.Name);
        Assert.Equal("DmaSafe", EventSource.GetName(typeof(DmaEventSource)));
    }

    [Fact]
    public void ABounceEventCarriesDeviceSizeDirectionOffsetAndBothSites()
    {
        using var harness = new TelemetryHarness();
        using var listener = new DmaSafeListener(harness.DeviceName);

        harness.Telemetry.Bounced(harness.Bounce(size: 40, direction: DmaDirection.ToDevice, offsetInLine: 24));

        var bounce = Assert.Single(listener.Events);
        Assert.Equal(DmaEventSource.BounceEventId, bounce.EventId);
        Assert.Equal("Bounce", bounce.EventName);
        Assert.Equal(EventLevel.Informational, bounce.Level);
        Assert.Equal(DmaEventSource.Keywords.Bounce, bounce.Keywords & DmaEventSource.Keywords.Bounce);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["device"] = harness.DeviceName,
                ["size"] = 40L,
                ["direction"] = "ToDevice",
                ["offsetInLine"] = 24,
                ["allocationMember"] = "Probe",
                ["allocationFile"] = "/src/Driver/Probe.cs",
                ["allocationLine"] = 12,
                ["mapMember"] = "Receive",
                ["mapFile"] = "/src/Driver/Rx.cs",
                ["mapLine"] = 40,
            },
            Payload(bounce));
    }

    [Fact]
    public void AnUnknownAllocationSiteTravelsAsEmptyStrings()
    {
        using var harness = new TelemetryHarness();
        using var listener = new DmaSafeListener(harness.DeviceName);

        harness.Telemetry.Bounced(harness.Bounce(allocation: SourceSite.Unknown));

        var payload = Payload(Assert.Single(listener.Events));
        Assert.Equal(string.Empty, payload["allocationMember"]);
        Assert.Equal(string.Empty, payload["allocationFile"]);
        Assert.Equal(0, payload["allocationLine"]);
    }

    [Fact]
    public void SwiotlbFullFaultAndViolationEventsCarryTheirDetails()
    {
        using var harness = new TelemetryHarness(new MachineOptions { OnDebugViolation = DebugViolationAction.Record });
        using var listener = new DmaSafeListener(harness.DeviceName);
        var owner = new AllocationInfo(0x2040, 40, 64, "kmalloc-64", TelemetryHarness.AllocSite, null, true);

        harness.Telemetry.SwiotlbFull(harness.Device, 8192, 32, 30);
        harness.Telemetry.Fault(new CoherencyFault(CoherencyFaultKind.CpuWriteDiscarded, harness.DeviceName, 0x2000, 0x2040, 16, "sync_for_cpu", [owner]));
        harness.Telemetry.Violation(new DmaDebugViolation("unmap-size", harness.DeviceName, "unmap of 64 bytes, mapped 40 bytes", TelemetryHarness.MapSite, owner));

        Assert.Equal(
            new[] { DmaEventSource.SwiotlbFullEventId, DmaEventSource.CoherencyFaultEventId, DmaEventSource.DmaDebugViolationEventId },
            listener.Events.Select(e => e.EventId));
        Assert.Equal(
            new Dictionary<string, object?> { ["device"] = harness.DeviceName, ["size"] = 8192L, ["totalSlots"] = 32, ["usedSlots"] = 30 },
            Payload(listener.Events[0]));
        Assert.Equal(EventLevel.Warning, listener.Events[0].Level);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["kind"] = "CpuWriteDiscarded",
                ["device"] = harness.DeviceName,
                ["cacheLine"] = 0x2000UL,
                ["address"] = 0x2040UL,
                ["length"] = 16,
                ["cause"] = "sync_for_cpu",
                ["owners"] = owner.ToString(),
            },
            Payload(listener.Events[1]));
        Assert.Equal(EventLevel.Error, listener.Events[1].Level);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["check"] = "unmap-size",
                ["device"] = harness.DeviceName,
                ["message"] = "unmap of 64 bytes, mapped 40 bytes",
                ["mapSite"] = "Receive (/src/Driver/Rx.cs:40)",
            },
            Payload(listener.Events[2]));
    }

    [Fact]
    public void ASessionAskingOnlyForBouncesGetsNoFaults()
    {
        using var harness = new TelemetryHarness();
        using var listener = new DmaSafeListener(harness.DeviceName, DmaEventSource.Keywords.Bounce);

        harness.Telemetry.Fault(new CoherencyFault(CoherencyFaultKind.DeviceDataOverwritten, harness.DeviceName, 0x2000, 0x2000, 4, "eviction", []));
        harness.Telemetry.Bounced(harness.Bounce());

        Assert.Equal(new[] { DmaEventSource.BounceEventId }, listener.Events.Select(e => e.EventId));
    }

    [Fact]
    public void EveryEventsMessageFormatsWithItsPayload()
    {
        using var harness = new TelemetryHarness();
        using var listener = new DmaSafeListener(harness.DeviceName);
        harness.Telemetry.Bounced(harness.Bounce(size: 40));
        harness.Telemetry.SwiotlbFull(harness.Device, 8192, 32, 30);

        var bounce = listener.Events[0];
        Assert.Equal(
            $"DMA bounce on {harness.DeviceName}: 40 bytes FromDevice at offset 8 in line; allocated at Probe (/src/Driver/Probe.cs:12), mapped at Receive (/src/Driver/Rx.cs:40)",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, bounce.Message!, bounce.Payload!.ToArray()));
    }

    private static Dictionary<string, object?> Payload(EventWrittenEventArgs e) =>
        e.PayloadNames!.Zip(e.Payload!).ToDictionary(pair => pair.First, pair => pair.Second);

    /// <summary>Listens to the DmaSafe source and keeps only the events of one device (other tests run at the same time).</summary>
    private sealed class DmaSafeListener : EventListener
    {
        private readonly string _device;
        private readonly EventKeywords _keywords;
        private readonly ConcurrentQueue<EventWrittenEventArgs> _events = new();

        public DmaSafeListener(string device, EventKeywords keywords = EventKeywords.All)
        {
            _device = device;
            _keywords = keywords;
            EnableEvents(DmaEventSource.Log, EventLevel.Verbose, _keywords);
        }

        public List<EventWrittenEventArgs> Events => _events.ToList();

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventSource.Name == "DmaSafe"
                && eventData.PayloadNames is { } names
                && names.IndexOf("device") is var index and >= 0
                && Equals(eventData.Payload![index], _device))
            {
                _events.Enqueue(eventData);
            }
        }
    }
}
