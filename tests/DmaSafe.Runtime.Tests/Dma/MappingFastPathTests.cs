using System;
using System.Collections.Generic;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>
/// What the map/unmap fast paths must not change: dma-debug's best fit among mappings of one buffer (in the small
/// table and in the dictionary it grows into), reuse of released entries, and the coherent path's bookkeeping.
/// </summary>
public sealed unsafe class MappingFastPathTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(MappingTable.SmallLimit + 4)] // enough other mappings that the table is a dictionary
    public void UnmapPicksTheBestFitAmongMappingsOfOneBuffer(int others)
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("spi0");
        var buffer = machine.Kmalloc(256);
        var filler = new List<(nint Buffer, DmaAddress Handle)>();
        for (var i = 0; i < others; i++)
        {
            var other = machine.Kmalloc(256);
            filler.Add(((nint)other, Map(device, other, 256, DmaDirection.ToDevice)));
        }

        // The same buffer three times, read-only so dma-debug's overlap check stays quiet: the unmaps name each one
        // by size and direction, in an order that is neither the map order nor its reverse.
        var whole = Map(device, buffer, 256, DmaDirection.ToDevice);
        var half = Map(device, buffer, 128, DmaDirection.ToDevice);
        var wholeAgain = Map(device, buffer, 256, DmaDirection.ToDevice);
        Assert.Equal(whole, half);
        Assert.Equal(whole, wholeAgain);

        device.UnmapSingle(half, 128, DmaDirection.ToDevice); // a 256-byte entry would be an unmap-size violation
        device.UnmapSingle(whole, 256, DmaDirection.ToDevice);
        device.UnmapSingle(wholeAgain, 256, DmaDirection.ToDevice);
        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(whole, 256, DmaDirection.ToDevice));
        Assert.Equal("double-unmap", error.Violation.Check);

        foreach (var (other, handle) in filler)
        {
            device.UnmapSingle(handle, 256, DmaDirection.ToDevice);
            machine.Kfree((void*)other);
        }

        machine.Kfree(buffer);
        Assert.Equal("double-unmap", Assert.Single(machine.DebugViolations).Check); // nothing but the one above
    }

    [Fact]
    public void ReleasedEntriesAreReusedPerDeviceWithoutMixingTheirMappings()
    {
        using var machine = TestMachines.Create();
        var a = machine.AddDevice("a");
        var b = machine.AddDevice("b", coherent: true);
        var bufferA = machine.Kmalloc(512);
        var bufferB = machine.Kmalloc(512);
        for (var round = 0; round < 50; round++)
        {
            // Interleaved so that each device's spare entry is handed out while the other device holds one.
            var handleA = Map(a, bufferA, 512, DmaDirection.FromDevice);
            var handleB = Map(b, bufferB, 512, DmaDirection.Bidirectional);
            a.DeviceWrite(handleA, TestMachines.Pattern(512, round));
            a.UnmapSingle(handleA, 512, DmaDirection.FromDevice);
            Assert.Equal(TestMachines.Pattern(512, round), TestMachines.Read(bufferA, 512));

            var error = Assert.Throws<DmaApiMisuseException>(() => b.UnmapSingle(handleA, 512, DmaDirection.FromDevice));
            Assert.Equal("unmap-unknown", error.Violation.Check); // a's mapping never shows up in b's table
            b.DeviceWrite(handleB, TestMachines.Pattern(512, round + 1));
            b.UnmapSingle(handleB, 512, DmaDirection.Bidirectional);
            Assert.Equal(TestMachines.Pattern(512, round + 1), TestMachines.Read(bufferB, 512));
        }

        machine.Kfree(bufferA);
        machine.Kfree(bufferB);
    }

    [Fact]
    public void CoherentStreamingMapsStillCountAndBounceWhenSwiotlbIsForced()
    {
        using var forced = TestMachines.Create(policy: BouncePolicy.Always);
        var device = forced.AddDevice("pcie", coherent: true);
        var buffer = forced.Kmalloc(1024);
        new Span<byte>(buffer, 1024).Fill(0x5a);
        var handle = Map(device, buffer, 1024, DmaDirection.Bidirectional);
        var pool = forced.Swiotlb;
        using (forced.DmaLock.EnterScope())
        {
            Assert.True(pool.UsedSlots > 0, "a forced bounce of a coherent device took no swiotlb slot");
        }

        device.DeviceWrite(handle, TestMachines.Pattern(1024));
        Assert.Equal(0x5a, ((byte*)buffer)[0]); // the device wrote the bounce slot, not the buffer
        device.UnmapSingle(handle, 1024, DmaDirection.Bidirectional);
        Assert.Equal(TestMachines.Pattern(1024), TestMachines.Read(buffer, 1024));
        Assert.Equal(1, forced.Bounces.TotalBounces);
        forced.Kfree(buffer);

        using var plain = TestMachines.Create();
        var snooping = plain.AddDevice("pcie", coherent: true);
        var direct = plain.Kmalloc(1024);
        var bus = Map(snooping, direct, 1024, DmaDirection.FromDevice);
        snooping.DeviceWrite(bus, TestMachines.Pattern(1024, 3));
        Assert.Equal(TestMachines.Pattern(1024, 3), TestMachines.Read(direct, 1024)); // snooped: visible at once
        snooping.UnmapSingle(bus, 1024, DmaDirection.FromDevice);
        Assert.Equal(0, plain.Bounces.TotalBounces);
        plain.Kfree(direct);
    }

    [Fact]
    public void RepeatedIdenticalReleasesDoNotPushAnOlderOneOutOfTheDoubleUnmapMemory()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var once = machine.Kmalloc(512);
        var looped = machine.Kmalloc(256);
        var onceHandle = Map(device, once, 512, DmaDirection.FromDevice);
        device.UnmapSingle(onceHandle, 512, DmaDirection.FromDevice);

        // Far more unmaps than dma-debug remembers, all of one buffer from one call site: they are one release to it.
        DmaAddress loopedHandle = default;
        for (var round = 0; round < 500; round++)
        {
            loopedHandle = Map(device, looped, 256, DmaDirection.ToDevice);
            device.UnmapSingle(loopedHandle, 256, DmaDirection.ToDevice);
        }

        var early = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(onceHandle, 512, DmaDirection.FromDevice));
        Assert.Equal("double-unmap", early.Violation.Check);
        Assert.Contains("mapped as single with DMA_FROM_DEVICE, 512 bytes", early.Message, StringComparison.Ordinal);

        var late = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(loopedHandle, 256, DmaDirection.ToDevice));
        Assert.Equal("double-unmap", late.Violation.Check);
        Assert.Contains("mapped as single with DMA_TO_DEVICE, 256 bytes", late.Message, StringComparison.Ordinal);

        machine.Kfree(once);
        machine.Kfree(looped);
    }

    [Fact]
    public void AReleaseThatDiffersFromTheNewestOnlyInSizeIsRememberedAsNew()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        var buffer = machine.Kmalloc(512);
        var small = Map(device, buffer, 128, DmaDirection.ToDevice);
        device.UnmapSingle(small, 128, DmaDirection.ToDevice);
        var large = Map(device, buffer, 512, DmaDirection.ToDevice);
        device.UnmapSingle(large, 512, DmaDirection.ToDevice);

        // Same bus address both times: the newest release is the one dma-debug names.
        var error = Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(small, 128, DmaDirection.ToDevice));
        Assert.Contains("512 bytes", error.Message, StringComparison.Ordinal);
        machine.Kfree(buffer);
    }

    private static DmaAddress Map(DmaDevice device, void* buffer, nuint size, DmaDirection direction)
    {
        var handle = device.MapSingle(buffer, size, direction);
        Assert.False(device.MappingError(handle));
        return handle;
    }
}
