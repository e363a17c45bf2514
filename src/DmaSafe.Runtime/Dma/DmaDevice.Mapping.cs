using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>Streaming mappings of single buffers (kernel/dma/mapping.c): argument checks, dma-debug, then the mechanism.</summary>
public sealed unsafe partial class DmaDevice
{
    /// <summary>This device's active mappings and coherent allocations (guarded by the machine's DMA lock).</summary>
    internal MappingTable Mappings { get; } = new();

    /// <summary>dma-debug's memory of this device's last releases (guarded by the machine's DMA lock).</summary>
    internal DebugRecentUnmaps RecentUnmaps { get; } = new();

    /// <summary>The latest single mapping, so that the MappingError that follows nearly every map needs no lock.</summary>
    private DmaMapping? _lastMapped;

    /// <inheritdoc cref="MapSingle(void*, nuint, DmaDirection, string, string, int)"/>
    public partial DmaAddress MapSingle(void* cpuAddress, nuint size, DmaDirection direction, string member, string file, int line)
    {
        Machine.ThrowIfDisposed();
        DmaArguments.CheckBuffer(cpuAddress, size, "dma_map_single");
        DmaArguments.CheckDirection(direction, "dma_map_single");
        var machine = Machine;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            if (!CheckMappable((nuint)cpuAddress, size, direction, "dma_map_single", member, file, line, out var owner, out var ownerIndex))
            {
                return DmaAddress.Error;
            }

            var entry = Mappings.Rent();
            Fill(entry, MappingKind.Single, (nuint)cpuAddress, size, direction, member, file, line);
            entry.ErrorCheck = machine.DmaDebug.Enabled ? MapErrorCheck.NotChecked : MapErrorCheck.NotApplicable;
            if (!machine.DmaDirect.Map(this, entry, owner, ownerIndex))
            {
                Mappings.Return(entry);
                return DmaAddress.Error;
            }

            Activate(entry);
            if (!ReferenceEquals(_lastMapped, entry))
            {
                Volatile.Write(ref _lastMapped, entry); // a driver's map/unmap loop reuses one entry: no write barrier
            }

            return new DmaAddress(entry.Bus);
        }
    }

    /// <inheritdoc cref="UnmapSingle(DmaAddress, nuint, DmaDirection)"/>
    public partial void UnmapSingle(DmaAddress address, nuint size, DmaDirection direction)
    {
        Machine.ThrowIfDisposed();
        DmaArguments.CheckDirection(direction, "dma_unmap_single");
        var machine = Machine;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            var entry = FindForRelease(address, size, direction, MappingKind.Single, "dma_unmap_single");
            if (entry is null)
            {
                return;
            }

            var violations = machine.DmaDebug.Enabled ? machine.DmaDebug.CheckUnmap(this, entry, size, direction, MappingKind.Single, 0, entry.CpuAddress) : null;
            if (entry.Kind == MappingKind.Coherent)
            {
                machine.DmaDebug.Report(violations); // unmapping coherent memory would free nothing and break it: leave it
                return;
            }

            Deactivate(entry);
            machine.DmaDirect.Unmap(this, entry, size, direction);
            Mappings.Return(entry);
            machine.DmaDebug.Report(violations);
        }
    }

    /// <inheritdoc cref="SyncSingleForCpu(DmaAddress, nuint, DmaDirection)"/>
    public partial void SyncSingleForCpu(DmaAddress address, nuint size, DmaDirection direction) =>
        Sync(address, size, direction, toCpu: true, sgCount: 0);

    /// <inheritdoc cref="SyncSingleForDevice(DmaAddress, nuint, DmaDirection)"/>
    public partial void SyncSingleForDevice(DmaAddress address, nuint size, DmaDirection direction) =>
        Sync(address, size, direction, toCpu: false, sgCount: 0);

    /// <inheritdoc cref="MappingError(DmaAddress)"/>
    public partial bool MappingError(DmaAddress address)
    {
        Machine.ThrowIfDisposed();
        if (address.IsError)
        {
            return true;
        }

        var machine = Machine;
        if (!machine.DmaDebug.Enabled)
        {
            return false;
        }

        // Fast path: the check right after the map. Entries never leave their device's table; one already unmapped
        // has been reset (no longer NotChecked), so a stale reference falls through to the locked lookup. The one
        // inexactness: a driver racing its own unmap and a remap of the same buffer against this call may see the
        // new mapping marked checked; that driver already breaks the API's ownership rules.
        var last = Volatile.Read(ref _lastMapped);
        if (last is not null && last.Bus == address.Value && last.ErrorCheck == MapErrorCheck.NotChecked)
        {
            last.ErrorCheck = MapErrorCheck.Checked;
            return false;
        }

        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            if (Mappings.FindUnchecked(address.Value) is { } entry)
            {
                entry.ErrorCheck = MapErrorCheck.Checked;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether [cpu, cpu + size) is memory a device may be given: inside the machine's RAM (not the stack, not
    /// foreign memory, not the bounce pool), live, and not starting in a line another writable mapping starts in.
    /// <c>owner</c> (with <c>index</c>) is the slab or page block dma-debug found there; null when it did not look
    /// (off) or found none.
    /// </summary>
    /// <returns>False when dma-debug recorded a violation that leaves nothing to map (the caller returns the mapping error).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CheckMappable(nuint cpu, nuint size, DmaDirection direction, string operation, string member, string file, int line, out object? owner, out int index)
    {
        owner = null;
        index = 0;
        if (!Machine.Memory.ContainsGeneral(cpu, size))
        {
            return RejectOutsideMemory(cpu, size, operation, member, file, line);
        }

        var debug = Machine.DmaDebug;
        if (debug.Enabled)
        {
            if (debug.CheckMapLive(this, cpu, size, member, file, line, out owner, out index) is { } freed)
            {
                debug.Report(freed);
            }

            if (debug.CheckOverlap(this, cpu, size, direction, member, file, line) is { } overlap)
            {
                debug.Report(overlap);
            }
        }

        return true;
    }

    /// <summary>The buffer is not (wholly) in the machine's RAM: an argument error, or a dma-debug violation.</summary>
    /// <returns>False when dma-debug recorded the violation (the caller returns the mapping error).</returns>
    private bool RejectOutsideMemory(nuint cpu, nuint size, string operation, string member, string file, int line)
    {
        var memory = Machine.Memory;
        var debug = Machine.DmaDebug;

        if (memory.ContainsGeneral(cpu, 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(size),
                (ulong)size,
                $"{operation} on {Name}: [addr=0x{(ulong)cpu:x}] [len={(ulong)size}] runs past the end of the machine's memory at 0x{(ulong)(memory.Start + memory.GeneralBytes):x}.");
        }

        var inPool = memory.Contains(cpu, 1);
        var area = inPool
            ? $"from invalid area (the swiotlb bounce pool) [addr=0x{(ulong)cpu:x}] [len={(ulong)size}]"
            : $"from stack or from outside the machine's memory [probable addr=0x{(ulong)cpu:x}] [len={(ulong)size}]";
        if (!debug.Enabled)
        {
            throw new ArgumentException(
                $"{operation} on {Name}: cannot map memory {area}; only kmalloc, page and coherent memory of this machine can be mapped.",
                "cpuAddress");
        }

        debug.Report(new DmaDebugViolation(inPool ? "map-invalid-area" : "map-stack", Name, "device driver maps memory " + area, new SourceSite(member, file, line), null));
        return false;
    }

    /// <summary>
    /// Finds the entry an unmap or free names. A miss is a dma-debug violation (recorded, or thrown); without
    /// dma-debug the mechanism still cannot go on, so it is an <see cref="ArgumentException"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private DmaMapping? FindForRelease(DmaAddress address, nuint size, DmaDirection direction, MappingKind kind, string operation) =>
        (address.IsError ? null : Mappings.FindExact(address.Value, size, kind, direction)) ?? ReleaseMiss(address, size, kind, operation);

    /// <summary>Nothing active at the address: report it (dma-debug) or refuse it; the message is built only here.</summary>
    private DmaMapping? ReleaseMiss(DmaAddress address, nuint size, MappingKind kind, string operation)
    {
        var debug = Machine.DmaDebug;
        var violation = debug.UnknownUnmap(this, address.Value, size, kind);
        if (!debug.Enabled)
        {
            throw new ArgumentException($"{operation} on {Name}: {violation.Message}.", nameof(address));
        }

        debug.Report(violation);
        return null;
    }

    private void Sync(DmaAddress address, nuint size, DmaDirection direction, bool toCpu, int sgCount)
    {
        var operation = toCpu ? "dma_sync_single_for_cpu" : "dma_sync_single_for_device";
        Machine.ThrowIfDisposed();
        DmaArguments.CheckDirection(direction, operation);
        var machine = Machine;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            var violations = SyncOne(address, size, direction, toCpu, sgCount, operation);
            machine.DmaDebug.Report(violations);
        }
    }

    /// <summary>Syncs the part of one mapping [address, address + size) names; returns what dma-debug found.</summary>
    private List<DmaDebugViolation>? SyncOne(DmaAddress address, nuint size, DmaDirection direction, bool toCpu, int sgCount, string operation)
    {
        var machine = Machine;
        var debug = machine.DmaDebug;
        var entry = address.IsError ? null : Mappings.FindHolding(address.Value);
        if (entry is null || entry.Kind == MappingKind.Coherent)
        {
            var unknown = debug.UnknownSync(this, address.Value, size);
            if (!debug.Enabled)
            {
                throw new ArgumentException($"{operation} on {Name}: {unknown.Message}.", nameof(address));
            }

            return new List<DmaDebugViolation> { unknown };
        }

        var violations = debug.Enabled ? debug.CheckSync(this, entry, address.Value, size, direction, toCpu, sgCount) : null;
        var offset = (nuint)(address.Value - entry.Bus);
        var length = Math.Min(size, entry.Size - offset);
        if (toCpu)
        {
            machine.DmaDirect.SyncForCpu(this, entry, offset, length, direction, "sync_for_cpu");
        }
        else
        {
            machine.DmaDirect.SyncForDevice(this, entry, offset, length, direction);
        }

        return violations;
    }

    private void Fill(DmaMapping entry, MappingKind kind, nuint cpu, nuint size, DmaDirection direction, string member, string file, int line)
    {
        entry.Kind = kind;
        entry.CpuAddress = cpu;
        entry.Size = size;
        entry.Direction = direction;
        entry.Line = line;

        // A reference store costs a GC write barrier; a reused entry usually holds these very strings already.
        if (!ReferenceEquals(entry.Member, member))
        {
            entry.Member = member;
        }

        if (!ReferenceEquals(entry.File, file))
        {
            entry.File = file;
        }
    }

    /// <summary>The mapping is made: the table and dma-debug's line tracking learn of it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Activate(DmaMapping entry)
    {
        Mappings.Add(entry);
        if (Machine.DmaDebug.Enabled)
        {
            Machine.DmaDebug.TrackLine(this, entry);
        }
    }

    /// <summary>The mapping is going: out of the table and dma-debug's tracking, remembered for double-unmap reports.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Deactivate(DmaMapping entry)
    {
        Mappings.Remove(entry);
        if (Machine.DmaDebug.Enabled)
        {
            Machine.DmaDebug.UntrackLine(this, entry);
            RecentUnmaps.Remember(entry);
        }
    }
}
