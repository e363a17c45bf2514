using System.Collections.Generic;

namespace DmaSafe;

/// <summary>The machine's DMA side: one lock, the cache model, the swiotlb pool, the mechanism and dma-debug.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// Serialises every DMA API call and device access of the machine: the cache model, the pool and the mapping
    /// tables change together, and a single lock keeps them consistent without lock ordering. CPU loads and stores
    /// by driver code never take it, as on hardware. Every map and unmap takes it once, so it is a compare-exchange
    /// and a release store, not a re-entrant lock (see <see cref="DmaSafe.DmaLock"/>). Take it with
    /// <c>using (DmaLock.EnterScope())</c>: a <c>lock</c> statement on it would take a monitor instead.
    /// </summary>
    internal DmaLock DmaLock { get; } = new();

    internal CacheModel Cache { get; private set; } = null!;

    internal Swiotlb Swiotlb { get; private set; } = null!;

    internal DmaDirect DmaDirect { get; private set; } = null!;

    internal DmaDebug DmaDebug { get; private set; } = null!;

    partial void InitializeDma()
    {
        Cache = new CacheModel(this);
        Swiotlb = new Swiotlb(Memory, Options.PageSize);
        DmaDirect = new DmaDirect(this, Cache, Swiotlb);
        DmaDebug = new DmaDebug(this);
        // The pool gauge reads the slot count through this (an int read is atomic, so no lock); a machine without a
        // pool has nothing to report and stays off the gauge.
        if (Swiotlb.TotalSlots > 0)
        {
            Telemetry.SwiotlbSlotsInUse = () => Swiotlb.UsedSlots;
        }
    }

    partial void CheckLeaksAtDispose()
    {
        try
        {
            List<DmaDebugViolation>? leaks = null;
            using (DmaLock.EnterScope())
            {
                if (DmaDebug.Enabled)
                {
                    foreach (var device in Devices)
                    {
                        if (DmaDebug.CheckLeaks(device, device.Mappings.Snapshot()) is { } leak)
                        {
                            (leaks ??= new List<DmaDebugViolation>()).Add(leak);
                        }
                    }
                }
            }

            DmaDebug.Report(leaks);
        }
        finally
        {
            // Waits for any DMA call still inside the lock; later ones see the machine disposed.
            using (DmaLock.EnterScope())
            {
                Cache.Dispose();
            }
        }
    }
}
