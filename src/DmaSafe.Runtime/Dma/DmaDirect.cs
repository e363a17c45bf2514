using System;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// The mapping mechanism without an IOMMU (kernel/dma/direct.h, swiotlb.c): decides whether to bounce, moves bytes
/// between the buffer and its bounce slots per Linux's copy rules (KERNEL-FACTS §4) and does the cache maintenance
/// of arm64 (§5). It checks nothing; dma-debug (<see cref="DmaDebug"/>) does that around it.
/// Every member must be called with the machine's DMA lock held.
/// </summary>
internal sealed unsafe class DmaDirect
{
    private readonly Machine _machine;
    private readonly CacheModel _cache;
    private readonly Swiotlb _swiotlb;
    private readonly bool _forceBounce;
    private readonly bool _alignmentPolicy;
    private readonly nuint _lineMask;
    private SourceSite? _lastMapSite;

    public DmaDirect(Machine machine, CacheModel cache, Swiotlb swiotlb)
    {
        _machine = machine;
        _cache = cache;
        _swiotlb = swiotlb;
        _forceBounce = machine.Options.BouncePolicy == BouncePolicy.Always;
        _alignmentPolicy = machine.Options.BouncePolicy == BouncePolicy.Alignment;
        _lineMask = (nuint)machine.Options.DmaMinAlign - 1;
    }

    /// <summary>
    /// Maps <paramref name="mapping"/> (whose buffer, size and direction are set): bounces if the policy says so,
    /// cleans the lines the device will use, and sets the bus address. <c>owner</c> is the slab (object
    /// <c>ownerIndex</c>) or page block holding the buffer when dma-debug already looked it up (a bounce reports its
    /// site); null otherwise.
    /// </summary>
    /// <returns>False when the mapping needed a bounce and the pool had no room; nothing is left mapped then.</returns>
    public bool Map(DmaDevice device, DmaMapping mapping, object? owner = null, int ownerIndex = 0)
    {
        if (device.Coherent && !_forceBounce)
        {
            // A snooping device bounces only under swiotlb=force: no pool, no cache model, just the bus address.
            mapping.Target = mapping.CpuAddress;
            mapping.Bus = _machine.Memory.ToBus(mapping.Target);
            _machine.Telemetry.Mapped(device, mapping.Size, mapping.Direction, bounced: false);
            return true;
        }

        // A buffer that starts and ends on line boundaries owns its lines: the alignment policy never bounces it,
        // and deciding that needs no slab lookup.
        var lineAligned = ((mapping.CpuAddress | (mapping.CpuAddress + mapping.Size)) & _lineMask) == 0;
        var bounce = !(_alignmentPolicy && lineAligned) && BounceDecision.NeedsBounce(_machine, device, mapping.CpuAddress, mapping.Size, mapping.Direction);
        if (bounce)
        {
            var count = Swiotlb.SlotsFor(mapping.Size);
            var slot = mapping.Size <= Swiotlb.MaxMappingSize ? _swiotlb.Allocate(mapping.Size, count) : -1;
            if (slot < 0)
            {
                _machine.Telemetry.SwiotlbFull(device, mapping.Size, _swiotlb.TotalSlots, _swiotlb.UsedSlots);
                return false;
            }

            mapping.FirstSlot = slot;
            mapping.SlotCount = count;
            mapping.Target = _swiotlb.AddressOf(slot);

            // Copy in for every direction, FromDevice too, so bytes the device leaves alone come back as they were
            // and never as a previous user's data (CVE-2022-0854).
            Copy(mapping.CpuAddress, mapping.Target, mapping.Size);
        }
        else
        {
            mapping.Target = mapping.CpuAddress;
        }

        if (!device.Coherent)
        {
            _cache.Track(mapping.Lines, device, mapping.Target, mapping.Size);
            _cache.Clean(mapping.Target, mapping.Size, device, "map");
        }

        mapping.Bus = _machine.Memory.ToBus(mapping.Target);
        _machine.Telemetry.Mapped(device, mapping.Size, mapping.Direction, bounce);
        if (bounce)
        {
            _machine.Telemetry.Bounced(new BounceEvent(
                device,
                mapping.CpuAddress,
                mapping.Size,
                mapping.Direction,
                (int)(mapping.CpuAddress & _lineMask), // the line is a power of two: no division per bounce
                owner is null ? AllocationSiteOf(mapping.CpuAddress) : SiteOf(owner, ownerIndex),
                MapSiteOf(mapping)));
        }

        return true;
    }

    /// <summary>Ends a mapping: what sync_for_cpu does for <paramref name="direction"/>, then the slots go back to the pool.</summary>
    public void Unmap(DmaDevice device, DmaMapping mapping, nuint size, DmaDirection direction)
    {
        if (device.Coherent && !mapping.Bounced)
        {
            return; // nothing was cached, nothing was copied
        }

        SyncForCpu(device, mapping, 0, Math.Min(size, mapping.Size), direction, "unmap");
        if (!device.Coherent)
        {
            _cache.Untrack(mapping.Lines);
        }

        if (mapping.Bounced)
        {
            _swiotlb.Free(mapping.FirstSlot, mapping.SlotCount);
        }
    }

    /// <summary>Drops a mapping without any sync (<c>DMA_ATTR_SKIP_CPU_SYNC</c>): unwinding a scatter-gather list that failed.</summary>
    public void Abandon(DmaDevice device, DmaMapping mapping)
    {
        if (!device.Coherent)
        {
            _cache.Untrack(mapping.Lines);
        }

        if (mapping.Bounced)
        {
            _swiotlb.Free(mapping.FirstSlot, mapping.SlotCount);
        }
    }

    /// <summary>The CPU takes the bytes [offset, offset + length) of the mapping back: invalidate, then copy out of the bounce buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SyncForCpu(DmaDevice device, DmaMapping mapping, nuint offset, nuint length, DmaDirection direction, string cause)
    {
        if (direction == DmaDirection.ToDevice || length == 0)
        {
            return; // the device only read: arm64 does nothing, swiotlb copies nothing back
        }

        if (!device.Coherent)
        {
            _cache.Invalidate(mapping.Target + offset, length, device, cause);
        }

        if (mapping.Bounced)
        {
            Copy(mapping.Target + offset, mapping.CpuAddress + offset, length);
        }
    }

    /// <summary>The device gets the bytes [offset, offset + length) back: copy into the bounce buffer, then clean.</summary>
    public void SyncForDevice(DmaDevice device, DmaMapping mapping, nuint offset, nuint length, DmaDirection direction)
    {
        if (length == 0)
        {
            return;
        }

        // Linux once copied here for FromDevice too and broke ath9k; that part was reverted (5.18).
        if (mapping.Bounced && direction != DmaDirection.FromDevice)
        {
            Copy(mapping.CpuAddress + offset, mapping.Target + offset, length);
        }

        if (!device.Coherent)
        {
            _cache.Clean(mapping.Target + offset, length, device, "sync_for_device");
        }
    }

    /// <summary>
    /// The map site, interned in the slab's site table so a bounce allocates nothing. The last one is kept (the
    /// DMA lock guards it): a driver bouncing from one call site again skips the per-thread site cache.
    /// </summary>
    private SourceSite MapSiteOf(DmaMapping mapping)
    {
        var last = _lastMapSite;
        if (last is not null && last.Line == mapping.Line && ReferenceEquals(last.FilePath, mapping.File) && ReferenceEquals(last.Member, mapping.Member))
        {
            return last;
        }

        var sites = _machine.Slab.Sites;
        return _lastMapSite = sites[sites.IdOf(_machine.Slab.Cpu().Sites, mapping.Member, mapping.File, mapping.Line)];
    }

    private SourceSite AllocationSiteOf(nuint cpu) =>
        _machine.Slab.TryFindObject(cpu, out var span) ? SiteOf(span.Owner, span.Index) : SourceSite.Unknown;

    private static SourceSite SiteOf(object owner, int index) =>
        owner is Slab slab ? slab.SiteOf(index) : ((PageBlock)owner).Site;

    private static void Copy(nuint from, nuint to, nuint length) => ModelCopy.Copy((void*)from, (void*)to, length);
}
