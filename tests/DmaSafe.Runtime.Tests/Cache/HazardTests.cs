using System;
using System.Linq;
using DmaSafe.Runtime.Tests.Dma;
using Xunit;

namespace DmaSafe.Runtime.Tests.Cache;

/// <summary>The cache model's hazards (KERNEL-FACTS §6) and arm64 maintenance, reproduced deterministically.</summary>
public sealed unsafe class HazardTests
{
    [Fact]
    public void PureInvalidateOfAPartialLineDiscardsTheNeighboursWriteAndKeepsTheDeviceData()
    {
        using var machine = TestMachines.Create(BouncePolicy.Never, pureInvalidate: true);
        var device = machine.AddDevice("adc");
        var obj = machine.Kzalloc<StatusThenRx128>();
        var handle = device.MapSingle(obj->Rx, 128, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));

        obj->Status = 7;
        var pattern = TestMachines.Pattern(128);
        device.DeviceWrite(handle, pattern);
        device.UnmapSingle(handle, 128, DmaDirection.FromDevice);

        Assert.Equal(0, obj->Status); // reverted to what RAM held at map: the CPU's write is gone
        Assert.Equal(pattern, TestMachines.Read(obj->Rx, 128));
        var fault = Assert.Single(machine.Faults);
        Assert.Equal(CoherencyFaultKind.CpuWriteDiscarded, fault.Kind);
        Assert.Equal((nuint)obj, fault.Address);
        Assert.Equal(1, fault.Length); // status went 0 → 7: one byte differs
        Assert.Equal((nuint)obj, fault.Owners[0].Address);
        Assert.Contains("invalidate discarded CPU writes at unmap", fault.ToString(), StringComparison.Ordinal);
        machine.Kfree(obj);
    }

    [Fact]
    public void AdversarialEvictionWritesTheDirtyNeighbourLineBackRightAfterTheDeviceWrote()
    {
        using var machine = TestMachines.Create(BouncePolicy.Never, EvictionPolicy.Adversarial);
        var device = machine.AddDevice("adc");
        var obj = machine.Kzalloc<StatusThenRx128>();
        var handle = device.MapSingle(obj->Rx, 128, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));

        obj->Status = 7;
        device.DeviceWrite(handle, TestMachines.Pattern(128));
        var fault = Assert.Single(machine.Faults);
        Assert.Equal("eviction", fault.Cause);
        Assert.Equal(CoherencyFaultKind.DeviceDataOverwritten, fault.Kind);
        Assert.Equal(124, fault.Length);

        device.UnmapSingle(handle, 128, DmaDirection.FromDevice);
        Assert.Single(machine.Faults); // the damage was done once, by the eviction
        Assert.Equal(7, obj->Status);
        machine.Kfree(obj);
    }

    [Fact]
    public void AdversarialEvictionCannotHurtABouncedBuffer()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment, EvictionPolicy.Adversarial);
        var device = machine.AddDevice("adc");
        var obj = machine.Kzalloc<StatusThenRx128>();
        var handle = device.MapSingle(obj->Rx, 128, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        obj->Status = 7;
        var pattern = TestMachines.Pattern(128);
        device.DeviceWrite(handle, pattern);
        obj->Status = 9;
        device.UnmapSingle(handle, 128, DmaDirection.FromDevice);

        Assert.Empty(machine.Faults);
        Assert.Equal(pattern, TestMachines.Read(obj->Rx, 128));
        Assert.Equal(9, obj->Status);
        machine.Kfree(obj);
    }

    [Fact]
    public void RandomEvictionIsReproducibleBySeedAndSometimesStrikes()
    {
        var bySeed = Enumerable.Range(0, 24).Select(seed => (seed, faults: RandomEvictionRun(seed))).ToArray();

        foreach (var (seed, faults) in bySeed)
        {
            Assert.Equal(faults, RandomEvictionRun(seed));
        }

        Assert.Contains(bySeed, run => run.faults.Contains("eviction", StringComparison.Ordinal));
        Assert.Contains(bySeed, run => !run.faults.Contains("eviction", StringComparison.Ordinal));
    }

    [Fact]
    public void EvictionNoneLeavesTheFaultToTheUnmap()
    {
        using var machine = TestMachines.Create(BouncePolicy.Never, EvictionPolicy.None);
        var device = machine.AddDevice("adc");
        var obj = machine.Kzalloc<StatusThenRx128>();
        var handle = device.MapSingle(obj->Rx, 128, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        obj->Status = 7;
        for (var i = 0; i < 10; i++)
        {
            device.DeviceWrite(handle, TestMachines.Pattern(128, i));
        }

        Assert.Empty(machine.Faults);
        device.UnmapSingle(handle, 128, DmaDirection.FromDevice);
        Assert.Equal("unmap", Assert.Single(machine.Faults).Cause);
        machine.Kfree(obj);
    }

    [Fact]
    public void CpuSeesStaleBytesUntilSyncForCpuThenTheDevicesBytes()
    {
        using var machine = TestMachines.Create(BouncePolicy.Never);
        var device = machine.AddDevice("dma");
        var buffer = (byte*)machine.Kzalloc(256);
        var handle = device.MapSingle(buffer, 256, DmaDirection.Bidirectional);
        Assert.False(device.MappingError(handle));
        var pattern = TestMachines.Pattern(256);
        device.DeviceWrite(handle, pattern);

        Assert.All(TestMachines.Read(buffer, 256), b => Assert.Equal(0, b)); // hazard C: the cache still holds the old lines
        device.SyncSingleForCpu(handle, 256, DmaDirection.Bidirectional);
        Assert.Equal(pattern, TestMachines.Read(buffer, 256));

        // The CPU answers in the same buffer and hands it back: the device reads what the CPU wrote.
        buffer[0] = 0x11;
        buffer[255] = 0x22;
        device.SyncSingleForDevice(handle, 256, DmaDirection.Bidirectional);
        var seen = new byte[256];
        device.DeviceRead(handle, seen);
        Assert.Equal(0x11, seen[0]);
        Assert.Equal(0x22, seen[255]);
        device.UnmapSingle(handle, 256, DmaDirection.Bidirectional);
        Assert.Empty(machine.Faults);
        machine.Kfree(buffer);
    }

    [Fact]
    public void PartialSyncForCpuMovesOnlyTheNamedLines()
    {
        using var machine = TestMachines.Create(BouncePolicy.Never);
        var device = machine.AddDevice("dma");
        var buffer = (byte*)machine.Kzalloc(512);
        var handle = device.MapSingle(buffer, 512, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        device.DeviceWrite(handle, TestMachines.Pattern(512));

        device.SyncSingleForCpu(handle + 128, 128, DmaDirection.FromDevice);
        Assert.Equal(0, buffer[0]);
        Assert.Equal(TestMachines.Pattern(512)[128], buffer[128]);
        Assert.Equal(0, buffer[256]);
        device.UnmapSingle(handle, 512, DmaDirection.FromDevice);
        Assert.Equal(TestMachines.Pattern(512), TestMachines.Read(buffer, 512));
        machine.Kfree(buffer);
    }

    [Fact]
    public void ToDeviceMappingSharingALineWithCpuWritesIsHarmless()
    {
        using var machine = TestMachines.Create(BouncePolicy.Alignment, EvictionPolicy.Adversarial);
        var device = machine.AddDevice("tx");
        var obj = machine.Kzalloc<StatusThenRx128>();
        var message = TestMachines.Pattern(128, 5);
        message.CopyTo(new Span<byte>(obj->Rx, 128));
        var handle = device.MapSingle(obj->Rx, 128, DmaDirection.ToDevice);
        Assert.False(device.MappingError(handle));
        obj->Status = 42;

        var seen = new byte[128];
        device.DeviceRead(handle, seen);
        device.UnmapSingle(handle, 128, DmaDirection.ToDevice);

        Assert.Equal(message, seen);
        Assert.Equal(42, obj->Status);
        Assert.Empty(machine.Faults);
        Assert.Equal(0, machine.Bounces.TotalBounces);
        machine.Kfree(obj);
    }

    [Fact]
    public void ToDeviceReadsWhatTheCpuWroteBeforeTheMapNotAfter()
    {
        using var machine = TestMachines.Create(BouncePolicy.Never);
        var device = machine.AddDevice("tx");
        var buffer = (byte*)machine.Kzalloc(128);
        buffer[0] = 1;
        var handle = device.MapSingle(buffer, 128, DmaDirection.ToDevice);
        Assert.False(device.MappingError(handle));
        buffer[0] = 2; // a driver bug: writing after the map without sync_for_device

        var seen = new byte[1];
        device.DeviceRead(handle, seen);
        Assert.Equal(1, seen[0]);
        device.SyncSingleForDevice(handle, 128, DmaDirection.ToDevice);
        device.DeviceRead(handle, seen);
        Assert.Equal(2, seen[0]);
        device.UnmapSingle(handle, 128, DmaDirection.ToDevice);
        machine.Kfree(buffer);
    }

    [Fact]
    public void FaultOwnersNameTheVictimFirstThenTheNeighbours()
    {
        using var machine = TestMachines.Create(BouncePolicy.Never);
        var device = machine.AddDevice("adc");

        // Two kmalloc-64 objects share one 128-byte line; the first is the device's buffer, the second a CPU counter.
        var a = (byte*)machine.Kzalloc(64);
        var b = (byte*)machine.Kzalloc(64);
        var aFirst = (nuint)a % 128 == 0;
        var buffer = aFirst ? a : b;
        var neighbour = aFirst ? b : a;
        Assert.Equal((nuint)buffer + 64, (nuint)neighbour); // fresh slab: adjacent objects

        var handle = device.MapSingle(buffer, 64, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        neighbour[0] = 1;
        device.DeviceWrite(handle, TestMachines.Pattern(64));
        device.UnmapSingle(handle, 64, DmaDirection.FromDevice);

        var fault = Assert.Single(machine.Faults);
        Assert.Equal((nuint)buffer, fault.Owners[0].Address);
        Assert.Equal((nuint)neighbour, fault.Owners[1].Address);
        Assert.Equal(64, fault.Length);
        machine.Kfree(a);
        machine.Kfree(b);
    }

    private static string RandomEvictionRun(int seed)
    {
        using var machine = TestMachines.Create(BouncePolicy.Never, EvictionPolicy.Random, seed);
        var device = machine.AddDevice("adc");
        var obj = machine.Kzalloc<StatusThenRx128>();
        var handle = device.MapSingle(obj->Rx, 128, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        obj->Status = 7;
        device.DeviceWrite(handle, TestMachines.Pattern(128));
        device.UnmapSingle(handle, 128, DmaDirection.FromDevice);
        var faults = string.Join(
            " | ",
            machine.Faults.Select(f => $"{f.Kind} {f.Cause} +{(long)(f.Address - (nuint)obj)} len {f.Length}"));
        machine.Kfree(obj);
        return faults;
    }
}
