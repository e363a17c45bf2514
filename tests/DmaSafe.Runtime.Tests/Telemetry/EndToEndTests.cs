using System;
using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DmaSafe.Runtime.Tests.Telemetry;

/// <summary>Telemetry fed by the real DMA layer: what a driver's map call leaves in the profile, the log and the trace.</summary>
public sealed unsafe class EndToEndTests
{
    [Fact]
    public void ABouncedMappingIsAttributedToTheExactAllocationAndMapLines()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1L << 20, SwiotlbBytes = 64L << 10 });
        var device = machine.AddDevice("nic0");
        var allocationLine = Line() + 1;
        var buffer = (byte*)machine.Kmalloc(40);
        var mapLine = Line() + 3;
        for (var i = 0; i < 3; i++)
        {
            var handle = device.MapSingle(buffer, 40, DmaDirection.FromDevice);
            Assert.False(device.MappingError(handle));
            device.UnmapSingle(handle, 40, DmaDirection.FromDevice);
        }

        var site = Assert.Single(machine.Bounces.Sites);
        Assert.Equal(new SourceSite(nameof(ABouncedMappingIsAttributedToTheExactAllocationAndMapLines), ThisFile(), allocationLine), site.AllocationSite);
        Assert.Equal(new SourceSite(nameof(ABouncedMappingIsAttributedToTheExactAllocationAndMapLines), ThisFile(), mapLine), site.MapSite);
        Assert.Equal(3, site.Count);
        Assert.Equal(120, site.Bytes);
        Assert.Equal(new[] { DmaDirection.FromDevice }, site.Directions.Keys);
        Assert.Equal(new[] { (int)((nuint)buffer % 128) }, site.OffsetInLine.Keys);
        Assert.Equal(new[] { 40 }, site.SizeModLine.Keys);

        // The file the analyzer reads carries the same path and lines.
        var back = BounceProfile.FromJson(machine.Bounces.ToJson());
        Assert.Equal(site.AllocationSite, back.Sites[0].AllocationSite);
        Assert.Equal(site.MapSite, back.Sites[0].MapSite);
        machine.Kfree(buffer);
    }

    [Fact]
    public void AnAlignedWholeLineBufferDoesNotBounceAndIsOnlyCounted()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1L << 20, SwiotlbBytes = 64L << 10 });
        var device = machine.AddDevice($"e2e-{Guid.NewGuid():N}");
        var buffer = machine.Kmalloc(256, Gfp.DmaAligned);
        var handle = device.MapSingle(buffer, 256, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        device.UnmapSingle(handle, 256, DmaDirection.FromDevice);

        Assert.Equal(0, machine.Bounces.TotalBounces);
        Assert.Empty(machine.Bounces.Sites);
        machine.Kfree(buffer);
    }

    [Fact]
    public void TheReportedStackStartsAtTheDriversMapCall()
    {
        var logger = new CollectingLogger();
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1L << 20, SwiotlbBytes = 64L << 10, BounceReports = true, Logger = logger });
        var device = machine.AddDevice("nic0");
        var buffer = machine.Kmalloc(40);
        MapAndUnmap(device, buffer);
        MapAndUnmap(device, buffer);

        var report = Assert.Single(logger.Entries, entry => entry.EventId.Id == 1);
        var stack = (string)report.Values["StackTrace"]!;
        var firstFrame = stack.Split('\n')[0];
        Assert.Contains(nameof(MapAndUnmap), firstFrame, StringComparison.Ordinal);
        Assert.DoesNotContain("DmaSafe.DmaDevice", stack, StringComparison.Ordinal);
        Assert.DoesNotContain("DmaSafe.DmaDirect", stack, StringComparison.Ordinal);
        Assert.Contains(nameof(TheReportedStackStartsAtTheDriversMapCall), stack, StringComparison.Ordinal);
        Assert.Equal(stack, Assert.Single(machine.Bounces.Sites).ExampleStack);
        machine.Kfree(buffer);
    }

    [Fact]
    public void TheEventSourceSeesTheRealBounce()
    {
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1L << 20, SwiotlbBytes = 64L << 10 });
        var name = $"e2e-{Guid.NewGuid():N}";
        var device = machine.AddDevice(name);
        using var listener = new DeviceListener(name);
        var buffer = machine.Kmalloc(40);
        MapAndUnmap(device, buffer);

        var bounce = Assert.Single(listener.Events);
        Assert.Equal(DmaEventSource.BounceEventId, bounce.EventId);
        var payload = bounce.PayloadNames!.Zip(bounce.Payload!).ToDictionary(pair => pair.First, pair => pair.Second);
        Assert.Equal(40L, payload["size"]);
        Assert.Equal("FromDevice", payload["direction"]);
        Assert.Equal(nameof(TheEventSourceSeesTheRealBounce), payload["allocationMember"]);
        Assert.Equal(ThisFile(), payload["allocationFile"]);
        Assert.Equal(nameof(MapAndUnmap), payload["mapMember"]);
        machine.Kfree(buffer);
    }

    [Fact]
    public void AFullPoolIsReportedEverywhere()
    {
        var logger = new CollectingLogger();
        using var machine = new Machine(new MachineOptions { MemoryBytes = 1L << 20, SwiotlbBytes = 2048, Logger = logger });
        var name = $"e2e-{Guid.NewGuid():N}";
        var device = machine.AddDevice(name);
        using var listener = new DeviceListener(name);
        var first = machine.Kmalloc(3000);
        var second = machine.Kmalloc(3000);
        var held = device.MapSingle((byte*)first + 8, 2048, DmaDirection.FromDevice);
        Assert.False(device.MappingError(held));

        var failed = device.MapSingle((byte*)second + 8, 2048, DmaDirection.FromDevice);

        Assert.True(device.MappingError(failed));
        Assert.Contains(listener.Events, e => e.EventId == DmaEventSource.SwiotlbFullEventId);
        Assert.Contains(logger.Entries, entry => entry.EventId.Id == 3 && entry.Level == LogLevel.Warning);
        device.UnmapSingle(held, 2048, DmaDirection.FromDevice);
        machine.Kfree(first);
        machine.Kfree(second);
    }

    private static void MapAndUnmap(DmaDevice device, void* buffer)
    {
        var handle = device.MapSingle(buffer, 40, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        device.UnmapSingle(handle, 40, DmaDirection.FromDevice);
    }

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static string ThisFile([CallerFilePath] string file = "") => file;

    private sealed class DeviceListener : EventListener
    {
        private readonly string _device;
        private readonly ConcurrentQueue<EventWrittenEventArgs> _events = new();

        public DeviceListener(string device)
        {
            _device = device;
            EnableEvents(DmaEventSource.Log, EventLevel.Verbose, EventKeywords.All);
        }

        public EventWrittenEventArgs[] Events => _events.ToArray();

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventSource.Name == "DmaSafe" && eventData.Payload is { Count: > 0 } payload
                && eventData.PayloadNames!.IndexOf("device") is var index and >= 0 && Equals(payload[index], _device))
            {
                _events.Enqueue(eventData);
            }
        }
    }
}
