using System.Collections.Generic;

namespace DmaSafe;

/// <summary>Which of the two non-coherent DMA hazards happened.</summary>
public enum CoherencyFaultKind
{
    /// <summary>A dirty cache line was written back over bytes the device had written (hazard A).</summary>
    DeviceDataOverwritten,

    /// <summary>An invalidate dropped a line holding CPU writes that had not reached RAM (hazard B).</summary>
    CpuWriteDiscarded,
}

/// <summary>
/// One corruption the cache model saw happen: which hazard, which line, which bytes, and the allocations that own
/// those bytes (the victim first, then the neighbours that share the line).
/// </summary>
/// <param name="Kind">The hazard.</param>
/// <param name="Device">The device whose mapping was involved.</param>
/// <param name="CacheLine">The CPU address of the first byte of the line (aligned to <see cref="MachineOptions.DmaMinAlign"/>).</param>
/// <param name="Address">The CPU address of the first corrupted byte.</param>
/// <param name="Length">How many bytes of the line were corrupted.</param>
/// <param name="Cause">What wrote the line back or dropped it: <c>eviction</c>, <c>unmap</c>, <c>sync_for_cpu</c>, …</param>
/// <param name="Owners">The allocations that own bytes of the line, the corrupted one first.</param>
public sealed record CoherencyFault(
    CoherencyFaultKind Kind,
    string Device,
    nuint CacheLine,
    nuint Address,
    int Length,
    string Cause,
    IReadOnlyList<AllocationInfo> Owners)
{
    /// <summary>A one-line description in the style of a kernel log message.</summary>
    public override string ToString()
    {
        var what = Kind == CoherencyFaultKind.DeviceDataOverwritten
            ? "dirty line written back over device data"
            : "invalidate discarded CPU writes";
        var owners = Owners.Count == 0 ? "no allocation" : string.Join("; ", Owners);
        return $"coherency fault on {Device}: {what} at {Cause} [line=0x{(ulong)CacheLine:x}] [addr=0x{(ulong)Address:x}] [len={Length}] owners: {owners}";
    }
}
