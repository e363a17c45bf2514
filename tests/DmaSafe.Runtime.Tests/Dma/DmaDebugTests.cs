using System;
using System.Linq;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>Every dma-debug check: the exception, its check name and its message (KERNEL-FACTS §7).</summary>
public sealed unsafe class DmaDebugTests
{
    [Fact]
    public void UnmapOfAnUnknownAddress()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(new DmaAddress(0x8000_1000), 64, DmaDirection.FromDevice));
        Assert.Equal("unmap-unknown", error.Violation.Check);
        Assert.Equal("DMA-API: eth0: device driver tries to free DMA memory it has not allocated [device address=0x0000000080001000] [size=64 bytes]", error.Message);
    }

    [Fact]
    public void UnmapOfTheErrorHandle()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(DmaAddress.Error, 64, DmaDirection.FromDevice));
        Assert.Equal("unmap-error-handle", error.Violation.Check);
        Assert.Contains("device driver tries to free an invalid DMA memory address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnmapWithADifferentSizeStillUnmapsAndNamesBothSizes()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(128);
        var handle = MapChecked(device, buffer, 128, DmaDirection.FromDevice);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(handle, 64, DmaDirection.FromDevice));
        Assert.Equal("unmap-size", error.Violation.Check);
        Assert.Contains($"device driver frees DMA memory with different size [device address={handle}] [map size=128 bytes] [unmap size=64 bytes]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mapped at: MapChecked (DmaDebugTests.cs:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Memory: kmalloc-128 object 0x", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, device.Mappings.Count); // the unmap happened; the machine goes on
        machine.Kfree(buffer);
    }

    [Fact]
    public void UnmapWithADifferentDirection()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(128);
        var handle = MapChecked(device, buffer, 128, DmaDirection.FromDevice);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(handle, 128, DmaDirection.ToDevice));
        Assert.Equal("unmap-direction", error.Violation.Check);
        Assert.Contains("device driver frees DMA memory with different direction [device address=", error.Message, StringComparison.Ordinal);
        Assert.Contains("[mapped with DMA_FROM_DEVICE] [unmapped with DMA_TO_DEVICE]", error.Message, StringComparison.Ordinal);
        machine.Kfree(buffer);
    }

    [Fact]
    public void DoubleUnmapIsNamedAsSuch()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(256);
        var handle = MapChecked(device, buffer, 256, DmaDirection.Bidirectional);
        device.UnmapSingle(handle, 256, DmaDirection.Bidirectional);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(handle, 256, DmaDirection.Bidirectional));
        Assert.Equal("double-unmap", error.Violation.Check);
        Assert.Contains($"device driver unmaps DMA memory twice [device address={handle}] [size=256 bytes] (already released; it was mapped as single with DMA_BIDIRECTIONAL, 256 bytes)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mapped at: MapChecked", error.Message, StringComparison.Ordinal);
        machine.Kfree(buffer);
    }

    [Fact]
    public void MapOfFreedMemory()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(512);
        machine.Kfree(buffer);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.MapSingle(buffer, 512, DmaDirection.ToDevice));
        Assert.Equal("map-freed", error.Violation.Check);
        Assert.Contains($"device driver maps memory that is not allocated (freed or never handed out) [addr=0x{(ulong)(nuint)buffer:x16}] [len=512]", error.Message, StringComparison.Ordinal);
        Assert.Contains("Memory: free kmalloc-512 object", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, device.Mappings.Count);
    }

    [Fact]
    public void MapOfStackMemory()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var error = Assert.Throws<DmaApiMisuseException>(() =>
        {
            byte* onStack = stackalloc byte[64];
            device.MapSingle(onStack, 64, DmaDirection.FromDevice);
        });
        Assert.Equal("map-stack", error.Violation.Check);
        Assert.Contains("device driver maps memory from stack or from outside the machine's memory [probable addr=0x", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mapped at: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapOfTheBouncePoolItself()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var error = Assert.Throws<DmaApiMisuseException>(() => device.MapSingle(machine.Memory.SwiotlbBase, 64, DmaDirection.FromDevice));
        Assert.Equal("map-invalid-area", error.Violation.Check);
        Assert.Contains("device driver maps memory from invalid area (the swiotlb bounce pool)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnmapWithoutCheckingTheMapResult()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(128);
        var handle = device.MapSingle(buffer, 128, DmaDirection.ToDevice);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(handle, 128, DmaDirection.ToDevice));
        Assert.Equal("map-error-unchecked", error.Violation.Check);
        Assert.Contains($"device driver failed to check map error[device address={handle}] [size=128 bytes] [mapped as single]", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, device.Mappings.Count);
        machine.Kfree(buffer);
    }

    [Fact]
    public void DeviceAccessWithoutCheckingTheMapResult()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(128);
        var handle = device.MapSingle(buffer, 128, DmaDirection.FromDevice);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.DeviceWrite(handle, new byte[8]));
        Assert.Equal("map-error-unchecked", error.Violation.Check);
        device.UnmapSingle(handle, 128, DmaDirection.FromDevice); // reported once per mapping
        machine.Kfree(buffer);
    }

    [Fact]
    public void OverlappingWritableMappingsStartingInOneLine()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("vsock");
        var a = (byte*)machine.Kmalloc(8);
        var b = (byte*)machine.Kmalloc(8);
        Assert.Equal((nuint)a / 64, (nuint)b / 64);
        var first = MapChecked(device, a, 8, DmaDirection.FromDevice);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.MapSingle(b, 8, DmaDirection.FromDevice));
        Assert.Equal("overlap", error.Violation.Check);
        Assert.Contains("cacheline tracking EEXIST, overlapping mappings aren't supported [cacheline=0x", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, device.Mappings.Count); // the second map was refused whole

        var toDevice = MapChecked(device, b, 8, DmaDirection.ToDevice); // the device only reads it: not tracked
        device.UnmapSingle(toDevice, 8, DmaDirection.ToDevice);
        device.UnmapSingle(first, 8, DmaDirection.FromDevice);
        var again = MapChecked(device, b, 8, DmaDirection.FromDevice);
        device.UnmapSingle(again, 8, DmaDirection.FromDevice);
        machine.Kfree(a);
        machine.Kfree(b);
    }

    [Fact]
    public void MoreThanSevenOverlapsHitTheTrackingLimit()
    {
        using var machine = TestMachines.Create(onViolation: DebugViolationAction.Record);
        var device = machine.AddDevice("vsock");
        var buffer = (byte*)machine.Kmalloc(64);
        var handles = Enumerable.Range(0, 9).Select(_ => device.MapSingle(buffer, 4, DmaDirection.FromDevice)).ToArray();

        var checks = machine.DebugViolations.Select(v => v.Check).ToArray();
        Assert.Equal(Enumerable.Repeat("overlap", 7).Append("overlap-limit"), checks);
        Assert.Contains("exceeded 7 overlapping mappings of cacheline 0x", machine.DebugViolations[^1].Message, StringComparison.Ordinal);
        foreach (var handle in handles)
        {
            device.MappingError(handle);
            device.UnmapSingle(handle, 4, DmaDirection.FromDevice);
        }

        machine.Kfree(buffer);
    }

    [Fact]
    public void OutstandingMappingsAndCoherentAllocationsAtDispose()
    {
        var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(256);
        MapChecked(device, buffer, 256, DmaDirection.FromDevice);
        device.AllocCoherent(4096, out _);

        var error = Assert.Throws<DmaApiMisuseException>(machine.Dispose);
        Assert.Equal("leak", error.Violation.Check);
        Assert.Contains("device driver has pending DMA allocations while released from device [count=2] One of leaked entries details: [device address=0x", error.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => machine.Kmalloc(8)); // disposed all the same
    }

    [Fact]
    public void SyncOfAnUnknownAddress()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var error = Assert.Throws<DmaApiMisuseException>(() => device.SyncSingleForCpu(new DmaAddress(0x8000_2000), 16, DmaDirection.FromDevice));
        Assert.Equal("sync-unknown", error.Violation.Check);
        Assert.Equal("DMA-API: eth0: device driver tries to sync DMA memory it has not allocated [device address=0x0000000080002000] [size=16 bytes]", error.Message);
    }

    [Fact]
    public void SyncPastTheEndOfTheMapping()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(256);
        var handle = MapChecked(device, buffer, 256, DmaDirection.FromDevice);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.SyncSingleForCpu(handle + 128, 256, DmaDirection.FromDevice));
        Assert.Equal("sync-range", error.Violation.Check);
        Assert.Contains($"device driver syncs DMA memory outside allocated range [device address={handle}] [allocation size=256 bytes] [sync offset+size=384]", error.Message, StringComparison.Ordinal);
        device.UnmapSingle(handle, 256, DmaDirection.FromDevice);
        machine.Kfree(buffer);
    }

    [Fact]
    public void SyncInTheWrongDirection()
    {
        using var machine = TestMachines.Create(onViolation: DebugViolationAction.Record);
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(256);
        var rx = MapChecked(device, buffer, 128, DmaDirection.FromDevice);
        var tx = MapChecked(device, (byte*)buffer + 128, 128, DmaDirection.ToDevice);

        device.SyncSingleForCpu(tx, 128, DmaDirection.FromDevice);
        device.SyncSingleForDevice(rx, 128, DmaDirection.ToDevice);
        var checks = machine.DebugViolations.Select(v => v.Check).ToArray();
        Assert.Equal(new[] { "sync-direction", "sync-read-only-for-cpu", "sync-direction", "sync-write-only-to-device" }, checks);
        Assert.Contains("device driver syncs device read-only DMA memory for cpu [device address=", machine.DebugViolations[1].Message, StringComparison.Ordinal);
        Assert.Contains("[mapped with DMA_TO_DEVICE] [synced with DMA_FROM_DEVICE]", machine.DebugViolations[1].Message, StringComparison.Ordinal);
        Assert.Contains("device driver syncs device write-only DMA memory to device", machine.DebugViolations[3].Message, StringComparison.Ordinal);

        device.UnmapSingle(rx, 128, DmaDirection.FromDevice);
        device.UnmapSingle(tx, 128, DmaDirection.ToDevice);
        machine.Kfree(buffer);
    }

    [Fact]
    public void ScatterGatherUnmapWithADifferentEntryCountAndTheWrongFunction()
    {
        using var machine = TestMachines.Create(onViolation: DebugViolationAction.Record);
        var device = machine.AddDevice("nvme");
        var a = machine.Kmalloc(4096);
        var b = machine.Kmalloc(4096);
        var list = new[] { new ScatterEntry(a, 4096), new ScatterEntry(b, 4096) };
        Assert.Equal(2, device.MapSg(list, DmaDirection.ToDevice));

        device.UnmapSg(list.AsSpan(0, 1), DmaDirection.ToDevice);
        Assert.Contains("device driver frees DMA sg list with different entry count [map count=2] [unmap count=1]", Assert.Single(machine.DebugViolations).Message, StringComparison.Ordinal);

        device.UnmapSingle(list[1].DmaAddress, 4096, DmaDirection.ToDevice);
        var wrong = machine.DebugViolations[^1];
        Assert.Equal("unmap-type", wrong.Check);
        Assert.Contains("device driver frees DMA memory with wrong function [device address=", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("[mapped as scather-gather] [unmapped as single]", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(0, device.Mappings.Count);
        machine.Kfree(a);
        machine.Kfree(b);
    }

    [Fact]
    public void CoherentFreeWithTheWrongCpuAddressOrSize()
    {
        using var machine = TestMachines.Create(onViolation: DebugViolationAction.Record);
        var device = machine.AddDevice("ring");
        var ring = (byte*)device.AllocCoherent(4096, out var handle);

        device.FreeCoherent(2048, ring + 64, handle);
        var checks = machine.DebugViolations.Select(v => v.Check).ToArray();
        Assert.Equal(new[] { "unmap-size", "free-cpu-address" }, checks);
        Assert.Contains($"[cpu alloc address=0x{(ulong)(nuint)ring:x16}] [cpu free address=0x{(ulong)(nuint)(ring + 64):x16}]", machine.DebugViolations[1].Message, StringComparison.Ordinal);
        Assert.Equal(0, device.Mappings.Count); // freed all the same, with the right address
        Assert.Null(machine.FindAllocation(ring));
    }

    [Fact]
    public void UnmapSingleOfCoherentMemoryIsTheWrongFunctionAndLeavesItAlone()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("ring");
        var ring = device.AllocCoherent(4096, out var handle);
        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(handle, 4096, DmaDirection.Bidirectional));
        Assert.Equal("unmap-type", error.Violation.Check);
        Assert.Contains("[mapped as coherent] [unmapped as single]", error.Message, StringComparison.Ordinal);
        device.FreeCoherent(4096, ring, handle);
    }

    [Fact]
    public void DeviceAccessOutsideEveryMappingOrAgainstItsDirection()
    {
        using var machine = TestMachines.Create(onViolation: DebugViolationAction.Record);
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(256);
        var tx = MapChecked(device, buffer, 256, DmaDirection.ToDevice);

        var past = Assert.Throws<DmaApiMisuseException>(() => device.DeviceRead(tx + 200, new byte[100]));
        Assert.Equal("device-access-outside-mapping", past.Violation.Check);
        Assert.Contains($"device reads outside every active mapping [device address={tx + 200}] [len=100]: the mapping at {tx} holds only 256 bytes, the access ends 44 bytes past it", past.Message, StringComparison.Ordinal);

        var wrongWay = Assert.Throws<DmaApiMisuseException>(() => device.DeviceWrite(tx, new byte[4]));
        Assert.Equal("device-access-direction", wrongWay.Violation.Check);
        Assert.Contains("device writes a mapping made with DMA_TO_DEVICE", wrongWay.Message, StringComparison.Ordinal);

        var error = Assert.Throws<DmaApiMisuseException>(() => device.DeviceWrite(DmaAddress.Error, new byte[4]));
        Assert.Contains("the address is DMA_MAPPING_ERROR", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, machine.DebugViolations.Count); // recorded, and thrown even in Record mode: there is nothing to write to

        device.UnmapSingle(tx, 256, DmaDirection.ToDevice);
        var unmapped = Assert.Throws<DmaApiMisuseException>(() => device.DeviceRead(tx, new byte[4]));
        Assert.Contains("no active mapping of this device holds that address", unmapped.Message, StringComparison.Ordinal);
        machine.Kfree(buffer);
    }

    [Fact]
    public void RecordModeCollectsViolationsAndCarriesOn()
    {
        using var machine = TestMachines.Create(onViolation: DebugViolationAction.Record);
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(128);
        var handle = device.MapSingle(buffer, 128, DmaDirection.FromDevice);
        device.UnmapSingle(handle, 64, DmaDirection.ToDevice);
        device.UnmapSingle(handle, 64, DmaDirection.ToDevice);

        var checks = machine.DebugViolations.Select(v => v.Check).ToArray();
        Assert.Equal(new[] { "unmap-size", "unmap-direction", "map-error-unchecked", "double-unmap" }, checks);
        machine.Kfree(buffer);
    }

    [Fact]
    public void WithoutDebugChecksTheMechanismStillRefusesWhatItCannotDo()
    {
        using var machine = TestMachines.Create(debug: false);
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(128);
        var handle = device.MapSingle(buffer, 128, DmaDirection.FromDevice); // unchecked: nobody minds
        device.UnmapSingle(handle, 128, DmaDirection.FromDevice);

        var unknown = Assert.Throws<ArgumentException>(() => device.UnmapSingle(handle, 128, DmaDirection.FromDevice));
        Assert.Contains("dma_unmap_single on eth0: device driver tries to free DMA memory it has not allocated", unknown.Message, StringComparison.Ordinal);
        var stack = Assert.Throws<ArgumentException>(() =>
        {
            byte* onStack = stackalloc byte[16];
            device.MapSingle(onStack, 16, DmaDirection.ToDevice);
        });
        Assert.Contains("cannot map memory from stack", stack.Message, StringComparison.Ordinal);
        Assert.Empty(machine.DebugViolations);
        machine.Kfree(buffer);
    }

    [Fact]
    public void MappingErrorOnAnOlderHandleStillCountsAsChecked()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var a = machine.Kmalloc(256);
        var b = machine.Kmalloc(256);
        var first = device.MapSingle(a, 256, DmaDirection.ToDevice);
        var second = device.MapSingle(b, 256, DmaDirection.ToDevice);
        Assert.False(device.MappingError(first)); // not the latest map: the locked lookup
        Assert.False(device.MappingError(second)); // the latest: no lock

        device.UnmapSingle(first, 256, DmaDirection.ToDevice);
        device.UnmapSingle(second, 256, DmaDirection.ToDevice);
        Assert.Empty(machine.DebugViolations);
        machine.Kfree(a);
        machine.Kfree(b);
    }

    [Fact]
    public void ScatterGatherSyncWithADifferentEntryCount()
    {
        using var machine = TestMachines.Create(onViolation: DebugViolationAction.Record);
        var device = machine.AddDevice("nvme");
        var a = machine.Kmalloc(4096);
        var b = machine.Kmalloc(4096);
        var list = new[] { new ScatterEntry(a, 4096), new ScatterEntry(b, 4096) };
        Assert.Equal(2, device.MapSg(list, DmaDirection.FromDevice));

        device.SyncSgForCpu(list.AsSpan(0, 1), DmaDirection.FromDevice);
        var violation = Assert.Single(machine.DebugViolations);
        Assert.Equal("sync-sg-count", violation.Check);
        Assert.Contains("device driver syncs DMA sg list with different entry count [map count=2] [sync count=1]", violation.Message, StringComparison.Ordinal);
        device.UnmapSg(list, DmaDirection.FromDevice);
        machine.Kfree(a);
        machine.Kfree(b);
    }

    private static DmaAddress MapChecked(DmaDevice device, void* buffer, nuint size, DmaDirection direction)
    {
        var handle = device.MapSingle(buffer, size, direction);
        Assert.False(device.MappingError(handle));
        return handle;
    }

}
