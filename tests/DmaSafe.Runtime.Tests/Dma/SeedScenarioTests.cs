using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>
/// Issue 2's seed scenario on a non-coherent device, DmaMinAlign 128: a kmalloc'd struct holds an int the CPU keeps
/// updating and, right after it, a buffer the device fills. The 6.5 size rule misses the embedded buffer; the
/// alignment rule bounces it; laying the buffer out on its own lines needs no bounce at all.
/// </summary>
public sealed unsafe class SeedScenarioTests
{
    private const int AllocationLine = 200; // see Allocate below: the site the bounce must be attributed to

    [Theory]
    [InlineData(BouncePolicy.Never)]
    [InlineData(BouncePolicy.KmallocSize)]
    public void Embedded128ByteBufferIsCorruptedWithoutAnAlignmentCheck(BouncePolicy policy)
    {
        var outcome = Run<StatusThenRx128>(policy, rxLength: 128);

        Assert.Equal(0, outcome.Bounces);
        Assert.Equal(8, outcome.Status); // the CPU's neighbour write survives; the device's bytes do not
        Assert.NotEqual(outcome.Expected, outcome.Rx);

        // The status word's line [0,128) was dirty and partly covered: unmap cleaned it over rx[0..124).
        var fault = Assert.Single(outcome.Faults);
        Assert.Equal(CoherencyFaultKind.DeviceDataOverwritten, fault.Kind);
        Assert.Equal("unmap", fault.Cause);
        Assert.Equal("nic0", fault.Device);
        Assert.Equal(outcome.Object, fault.CacheLine);
        Assert.Equal(outcome.Object + 4, fault.Address);
        Assert.Equal(124, fault.Length);
        Assert.Equal(outcome.Object, fault.Owners[0].Address);
        Assert.Equal(AllocationLine, fault.Owners[0].Site.Line);
        Assert.Contains("dirty line written back over device data at unmap", fault.ToString(), StringComparison.Ordinal);
        Assert.Equal(outcome.Expected.AsSpan(124).ToArray(), outcome.Rx.AsSpan(124).ToArray()); // the second line was clean: it arrived
        Assert.All(outcome.Rx.Take(124), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(BouncePolicy.Never)]
    [InlineData(BouncePolicy.KmallocSize)]
    public void Embedded300ByteBufferIsCorruptedWithoutAnAlignmentCheck(BouncePolicy policy)
    {
        var outcome = Run<StatusThenRx300>(policy, rxLength: 300);

        Assert.Equal(0, outcome.Bounces);
        Assert.NotEqual(outcome.Expected, outcome.Rx);
        var fault = Assert.Single(outcome.Faults);
        Assert.Equal(CoherencyFaultKind.DeviceDataOverwritten, fault.Kind);
        Assert.Equal(outcome.Object + 4, fault.Address);
        Assert.Equal(124, fault.Length);
        Assert.Equal("kmalloc-512", fault.Owners[0].Cache);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(300)]
    public void AlignmentBouncesTheEmbeddedBufferAndAttributesTheBounceToTheAllocation(int rxLength)
    {
        var outcome = rxLength == 128
            ? Run<StatusThenRx128>(BouncePolicy.Alignment, rxLength)
            : Run<StatusThenRx300>(BouncePolicy.Alignment, rxLength);

        Assert.Equal(outcome.Expected, outcome.Rx);
        Assert.Equal(8, outcome.Status);
        Assert.Empty(outcome.Faults);
        Assert.Equal(1, outcome.Bounces);
        Assert.Equal(rxLength, outcome.BouncedBytes);
        var site = Assert.Single(outcome.Sites);
        Assert.Equal(AllocationLine, site.AllocationSite.Line);
        Assert.Equal(nameof(Allocate), site.AllocationSite.Member);
        Assert.Equal(nameof(Run), site.MapSite.Member);
    }

    [Theory]
    [InlineData(BouncePolicy.Alignment)]
    [InlineData(BouncePolicy.KmallocSize)]
    [InlineData(BouncePolicy.Never)]
    public void BufferOnItsOwnLinesOfADmaAlignedStructNeitherBouncesNorFaults(BouncePolicy policy)
    {
        var outcome = Run<StatusThenAlignedRx>(policy, rxLength: 128, rxOffset: 128);

        Assert.Equal(0, (long)(outcome.Object % 128));
        Assert.Equal(outcome.Expected, outcome.Rx);
        Assert.Equal(8, outcome.Status);
        Assert.Empty(outcome.Faults);
        Assert.Equal(0, outcome.Bounces);
    }

    [Theory]
    [InlineData(BouncePolicy.KmallocSize)]
    [InlineData(BouncePolicy.Alignment)]
    public void SixteenByteEmbeddedBufferIsBouncedByTheSizeRuleToo(BouncePolicy policy)
    {
        var outcome = Run<StatusThenRx16>(policy, rxLength: 16);

        Assert.Equal(1, outcome.Bounces);
        Assert.Equal(outcome.Expected, outcome.Rx);
        Assert.Equal(8, outcome.Status);
        Assert.Empty(outcome.Faults);
    }

    [Fact]
    public void SixteenByteEmbeddedBufferIsCorruptedWhenNothingBounces()
    {
        var outcome = Run<StatusThenRx16>(BouncePolicy.Never, rxLength: 16);

        Assert.NotEqual(outcome.Expected, outcome.Rx);
        Assert.Equal(CoherencyFaultKind.DeviceDataOverwritten, Assert.Single(outcome.Faults).Kind);
    }

    [Fact]
    public void CoherentDeviceNeverFaultsEvenWithoutBouncing()
    {
        var outcome = Run<StatusThenRx128>(BouncePolicy.Never, rxLength: 128, coherent: true);

        Assert.Equal(outcome.Expected, outcome.Rx);
        Assert.Equal(8, outcome.Status);
        Assert.Empty(outcome.Faults);
        Assert.Equal(0, outcome.Bounces);
    }

    /// <summary>
    /// Map rx FromDevice, CPU writes the status word, the device fills rx, the CPU writes status again, unmap,
    /// read rx: what a driver with a status word next to its receive buffer does.
    /// </summary>
    private static Outcome Run<T>(BouncePolicy policy, int rxLength, int rxOffset = 4, bool coherent = false)
        where T : unmanaged
    {
        using var machine = TestMachines.Create(policy);
        var device = machine.AddDevice("nic0", coherent);
        var obj = Allocate<T>(machine);
        var status = (int*)obj;
        var rx = (byte*)obj + rxOffset;
        var expected = TestMachines.Pattern(rxLength, salt: 3);

        var handle = device.MapSingle(rx, (nuint)rxLength, DmaDirection.FromDevice);
        Assert.False(device.MappingError(handle));
        *status = 7;
        device.DeviceWrite(handle, expected);
        *status = 8;
        device.UnmapSingle(handle, (nuint)rxLength, DmaDirection.FromDevice);

        var outcome = new Outcome(
            (nuint)obj,
            expected,
            TestMachines.Read(rx, rxLength),
            *status,
            machine.Faults.ToArray(),
            machine.Bounces.TotalBounces,
            machine.Bounces.TotalBouncedBytes,
            machine.Bounces.Sites.ToArray());
        machine.Kfree(obj);
        return outcome;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T* Allocate<T>(Machine machine)
        where T : unmanaged
    {
#line 200
        return machine.Kzalloc<T>();
#line default
    }

    private sealed record Outcome(nuint Object, byte[] Expected, byte[] Rx, int Status, CoherencyFault[] Faults, long Bounces, long BouncedBytes, BounceSite[] Sites);
}
