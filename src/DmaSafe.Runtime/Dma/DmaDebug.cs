using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// dma-debug (kernel/dma/debug.c): the checks around every DMA API call, kept apart from the mechanism so that
/// <see cref="MachineOptions.DebugChecks"/> switches them off without touching it. Messages follow the kernel's
/// texts (KERNEL-FACTS §7) and add the map site and the allocation. Every member must be called with the machine's
/// DMA lock held.
/// </summary>
internal sealed class DmaDebug
{
    /// <summary>Extra mappings one cache line may start (3 tag bits in the kernel's radix tree).</summary>
    public const int MaxOverlaps = 7;

    private readonly Machine _machine;
    private readonly int _overlapLineShift;
    private readonly DebugActiveLines _activeLines = new();

    public DmaDebug(Machine machine)
    {
        _machine = machine;
        Enabled = machine.Options.DebugChecks;

        // The kernel keys overlap tracking on the L1 line (L1_CACHE_SHIFT), not on ARCH_DMA_MINALIGN.
        _overlapLineShift = System.Numerics.BitOperations.Log2((uint)machine.Options.L1CacheLineSize);
    }

    public bool Enabled { get; }

    /// <summary>Records a violation; throws it unless the machine records only. Call only when nothing is half done.</summary>
    public void Report(DmaDebugViolation violation)
    {
        _machine.Telemetry.Violation(violation);
        if (_machine.Options.OnDebugViolation != DebugViolationAction.Record)
        {
            throw new DmaApiMisuseException(violation);
        }
    }

    /// <summary>Records every violation, then throws the first unless the machine records only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Report(List<DmaDebugViolation>? violations)
    {
        if (violations is not null)
        {
            ReportAll(violations); // nearly every call has nothing to report: the test stays in the caller
        }
    }

    private void ReportAll(List<DmaDebugViolation> violations)
    {
        foreach (var violation in violations)
        {
            _machine.Telemetry.Violation(violation);
        }

        if (_machine.Options.OnDebugViolation != DebugViolationAction.Record)
        {
            throw new DmaApiMisuseException(violations[0]);
        }
    }

    /// <summary>Records a violation the model cannot carry on from (a device access outside every mapping) and throws it.</summary>
    public DmaApiMisuseException Reject(DmaDebugViolation violation)
    {
        _machine.Telemetry.Violation(violation);
        return new DmaApiMisuseException(violation);
    }

    public DmaDebugViolation Violation(string check, DmaDevice device, string message, DmaMapping? mapping, nuint cpuAddress) =>
        new(check, device.Name, message, mapping?.MapSite, _machine.Slab.Describe(cpuAddress));

    public DmaDebugViolation Violation(string check, DmaDevice device, string message, SourceSite site, nuint cpuAddress) =>
        new(check, device.Name, message, site, _machine.Slab.Describe(cpuAddress));

    /// <summary>
    /// Map of memory that is no live allocation: freed, or never handed out. The slab or page block found at the
    /// address (live or not; null when none) and the object's index come back in <c>owner</c> and <c>index</c>, so a
    /// bounce need not look them up again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DmaDebugViolation? CheckMapLive(DmaDevice device, nuint cpu, nuint size, string member, string file, int line, out object? owner, out int index)
    {
        return _machine.Slab.IsLiveObject(cpu, out owner, out index) ? null : MapFreed(device, cpu, size, member, file, line);
    }

    private DmaDebugViolation MapFreed(DmaDevice device, nuint cpu, nuint size, string member, string file, int line) =>
        Violation("map-freed", device, $"device driver maps memory that is not allocated (freed or never handed out) [addr={DebugText.Hex(cpu)}] [len={(ulong)size}]", new SourceSite(member, file, line), cpu);

    /// <summary>
    /// Another active mapping the device may write already starts in the L1 line this one starts in (the kernel's
    /// only line-sharing check; a mapping that merely ends in a shared line is missed, as in Linux).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DmaDebugViolation? CheckOverlap(DmaDevice device, nuint cpu, nuint size, DmaDirection direction, string member, string file, int line)
    {
        if (!IsOverlapTracked(device, direction))
        {
            return null;
        }

        var active = _activeLines.CountOf(cpu >> _overlapLineShift);
        return active == 0 ? null : Overlap(device, cpu, size, member, file, line, active);
    }

    private DmaDebugViolation Overlap(DmaDevice device, nuint cpu, nuint size, string member, string file, int line, int active)
    {
        var cacheline = DebugText.Hex((cpu >> _overlapLineShift) << _overlapLineShift);
        var site = new SourceSite(member, file, line);
        return active > MaxOverlaps
            ? Violation("overlap-limit", device, $"exceeded {MaxOverlaps} overlapping mappings of cacheline {cacheline} [addr={DebugText.Hex(cpu)}] [len={(ulong)size}]", site, cpu)
            : Violation("overlap", device, $"cacheline tracking EEXIST, overlapping mappings aren't supported [cacheline={cacheline}] [addr={DebugText.Hex(cpu)}] [len={(ulong)size}] [active mappings in line={active}]", site, cpu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void TrackLine(DmaDevice device, DmaMapping mapping)
    {
        if (IsOverlapTracked(device, mapping.Direction) && mapping.Kind != MappingKind.Coherent)
        {
            _activeLines.Increment(mapping.CpuAddress >> _overlapLineShift);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void UntrackLine(DmaDevice device, DmaMapping mapping)
    {
        if (IsOverlapTracked(device, mapping.Direction) && mapping.Kind != MappingKind.Coherent)
        {
            _activeLines.Decrement(mapping.CpuAddress >> _overlapLineShift);
        }
    }

    /// <summary>An unmap or free named no active entry: the error handle, a double unmap, or an address never mapped.</summary>
    public DmaDebugViolation UnknownUnmap(DmaDevice device, ulong bus, nuint size, MappingKind kind)
    {
        if (bus == DmaAddress.Error.Value)
        {
            return new("unmap-error-handle", device.Name, "device driver tries to free an invalid DMA memory address (DMA_MAPPING_ERROR: the map failed, there is nothing to unmap)", null, null);
        }

        if (device.RecentUnmaps.TryFind(bus, out var recent))
        {
            var what = kind == MappingKind.Coherent ? "frees coherent DMA memory twice" : "unmaps DMA memory twice";
            return Violation(
                "double-unmap",
                device,
                $"device driver {what} {DebugText.DeviceAddress(bus, size)} (already released; it was {(recent.Kind == MappingKind.Coherent ? "allocated" : "mapped")} as {DebugText.Kind(recent.Kind)} with {DebugText.Direction(recent.Direction)}, {(ulong)recent.Size} bytes)",
                recent.Site,
                recent.CpuAddress);
        }

        return new("unmap-unknown", device.Name, $"device driver tries to free DMA memory it has not allocated {DebugText.DeviceAddress(bus, size)}", null, null);
    }

    /// <summary>check_unmap: size, type, CPU address, sg count, direction and whether the map result was checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public List<DmaDebugViolation>? CheckUnmap(DmaDevice device, DmaMapping entry, nuint size, DmaDirection direction, MappingKind kind, int sgCount, nuint cpuAddress)
    {
        // The unmap of a single mapping that matches it in every respect and was checked: nothing to build or scan.
        if (kind == MappingKind.Single && entry.Kind == MappingKind.Single && entry.Size == size && entry.Direction == direction && entry.ErrorCheck != MapErrorCheck.NotChecked)
        {
            return null;
        }

        return CheckUnmapInDetail(device, entry, size, direction, kind, sgCount, cpuAddress);
    }

    private List<DmaDebugViolation>? CheckUnmapInDetail(DmaDevice device, DmaMapping entry, nuint size, DmaDirection direction, MappingKind kind, int sgCount, nuint cpuAddress)
    {
        List<DmaDebugViolation>? found = null;
        if (entry.Size != size)
        {
            Add(ref found, Violation("unmap-size", device, $"device driver frees DMA memory with different size [device address={DebugText.Hex(entry.Bus)}] [map size={(ulong)entry.Size} bytes] [unmap size={(ulong)size} bytes]", entry, entry.CpuAddress));
        }

        if (entry.Kind != kind)
        {
            Add(ref found, Violation("unmap-type", device, $"device driver frees DMA memory with wrong function {DebugText.DeviceAddress(entry.Bus, entry.Size)} [mapped as {DebugText.Kind(entry.Kind)}] [unmapped as {DebugText.Kind(kind)}]", entry, entry.CpuAddress));
        }

        if (kind == MappingKind.Coherent && entry.Kind == MappingKind.Coherent && cpuAddress != entry.CpuAddress)
        {
            Add(ref found, Violation("free-cpu-address", device, $"device driver frees DMA memory with different CPU address {DebugText.DeviceAddress(entry.Bus, entry.Size)} [cpu alloc address={DebugText.Hex(entry.CpuAddress)}] [cpu free address={DebugText.Hex(cpuAddress)}]", entry, entry.CpuAddress));
        }

        if (kind == MappingKind.ScatterGather && entry.Kind == MappingKind.ScatterGather && entry.SgCount != sgCount)
        {
            Add(ref found, Violation("unmap-sg-count", device, $"device driver frees DMA sg list with different entry count [map count={entry.SgCount}] [unmap count={sgCount}]", entry, entry.CpuAddress));
        }

        if (entry.Direction != direction && kind != MappingKind.Coherent)
        {
            Add(ref found, Violation("unmap-direction", device, $"device driver frees DMA memory with different direction {DebugText.DeviceAddress(entry.Bus, entry.Size)} [mapped with {DebugText.Direction(entry.Direction)}] [unmapped with {DebugText.Direction(direction)}]", entry, entry.CpuAddress));
        }

        if (entry.ErrorCheck == MapErrorCheck.NotChecked)
        {
            Add(ref found, UncheckedMapError(device, entry));
        }

        return found;
    }

    /// <summary>The driver used a map result (unmap, or handed it to the device) without asking MappingError about it.</summary>
    public DmaDebugViolation UncheckedMapError(DmaDevice device, DmaMapping entry)
    {
        entry.ErrorCheck = MapErrorCheck.Checked; // reported once per mapping, as the kernel reports it once at unmap
        return Violation("map-error-unchecked", device, $"device driver failed to check map error{DebugText.DeviceAddress(entry.Bus, entry.Size)} [mapped as {DebugText.Kind(entry.Kind)}]", entry, entry.CpuAddress);
    }

    public DmaDebugViolation UnknownSync(DmaDevice device, ulong bus, nuint size) =>
        new("sync-unknown", device.Name, $"device driver tries to sync DMA memory it has not allocated {DebugText.DeviceAddress(bus, size)}", null, null);

    /// <summary>check_sync: range, direction, and syncing the wrong way for the mapping's direction.</summary>
    public List<DmaDebugViolation>? CheckSync(DmaDevice device, DmaMapping entry, ulong bus, nuint size, DmaDirection direction, bool toCpu, int sgCount)
    {
        List<DmaDebugViolation>? found = null;
        var offsetPlusSize = bus - entry.Bus + (ulong)size;
        if (offsetPlusSize > (ulong)entry.Size)
        {
            Add(ref found, Violation("sync-range", device, $"device driver syncs DMA memory outside allocated range [device address={DebugText.Hex(entry.Bus)}] [allocation size={(ulong)entry.Size} bytes] [sync offset+size={offsetPlusSize}]", entry, entry.CpuAddress));
        }

        if (sgCount > 0 && entry.Kind == MappingKind.ScatterGather && entry.SgCount != sgCount)
        {
            Add(ref found, Violation("sync-sg-count", device, $"device driver syncs DMA sg list with different entry count [map count={entry.SgCount}] [sync count={sgCount}]", entry, entry.CpuAddress));
        }

        if (entry.Direction == DmaDirection.Bidirectional)
        {
            return found;
        }

        var mapped = DebugText.Direction(entry.Direction);
        var synced = DebugText.Direction(direction);
        if (direction != entry.Direction)
        {
            Add(ref found, Violation("sync-direction", device, $"device driver syncs DMA memory with different direction {DebugText.DeviceAddress(entry.Bus, entry.Size)} [mapped with {mapped}] [synced with {synced}]", entry, entry.CpuAddress));
        }

        if (toCpu && entry.Direction != DmaDirection.FromDevice && direction != DmaDirection.ToDevice)
        {
            Add(ref found, Violation("sync-read-only-for-cpu", device, $"device driver syncs device read-only DMA memory for cpu {DebugText.DeviceAddress(entry.Bus, entry.Size)} [mapped with {mapped}] [synced with {synced}]", entry, entry.CpuAddress));
        }

        if (!toCpu && entry.Direction != DmaDirection.ToDevice && direction != DmaDirection.FromDevice)
        {
            Add(ref found, Violation("sync-write-only-to-device", device, $"device driver syncs device write-only DMA memory to device {DebugText.DeviceAddress(entry.Bus, entry.Size)} [mapped with {mapped}] [synced with {synced}]", entry, entry.CpuAddress));
        }

        return found;
    }

    /// <summary>The device was released (the machine disposed) with mappings or coherent allocations still active.</summary>
    public DmaDebugViolation? CheckLeaks(DmaDevice device, List<DmaMapping> active)
    {
        if (active.Count == 0)
        {
            return null;
        }

        var one = active[0];
        return Violation(
            "leak",
            device,
            $"device driver has pending DMA allocations while released from device [count={active.Count}] One of leaked entries details: {DebugText.DeviceAddress(one.Bus, one.Size)} [mapped with {DebugText.Direction(one.Direction)}] [mapped as {DebugText.Kind(one.Kind)}]",
            one,
            one.CpuAddress);
    }

    private static bool IsOverlapTracked(DmaDevice device, DmaDirection direction) =>
        !device.Coherent && direction != DmaDirection.ToDevice; // a device that only reads cannot corrupt a shared line

    private static void Add(ref List<DmaDebugViolation>? list, DmaDebugViolation violation) => (list ??= new List<DmaDebugViolation>(2)).Add(violation);
}
