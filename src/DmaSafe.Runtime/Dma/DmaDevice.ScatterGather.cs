using System;
using System.Collections.Generic;

namespace DmaSafe;

/// <summary>Scatter-gather mappings (<c>dma_map_sg</c> and friends): each segment is mapped, bounced and checked on its own.</summary>
public sealed unsafe partial class DmaDevice
{
    /// <inheritdoc cref="MapSg(Span{ScatterEntry}, DmaDirection, string, string, int)"/>
    public partial int MapSg(Span<ScatterEntry> entries, DmaDirection direction, string member, string file, int line)
    {
        Machine.ThrowIfDisposed();
        DmaArguments.CheckDirection(direction, "dma_map_sg");
        if (entries.IsEmpty)
        {
            throw new ArgumentException($"dma_map_sg on {Name}: the scatter-gather list is empty.", nameof(entries));
        }

        for (var i = 0; i < entries.Length; i++)
        {
            DmaArguments.CheckBuffer(entries[i].CpuAddress, entries[i].Length, "dma_map_sg", $"segment {i}");
        }

        var machine = Machine;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            for (var i = 0; i < entries.Length; i++)
            {
                if (!CheckMappable((nuint)entries[i].CpuAddress, entries[i].Length, direction, $"dma_map_sg segment {i}", member, file, line, out _, out _))
                {
                    return 0;
                }
            }

            var mapped = new DmaMapping[entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                var entry = Mappings.Rent();
                Fill(entry, MappingKind.ScatterGather, (nuint)entries[i].CpuAddress, entries[i].Length, direction, member, file, line);
                entry.SgCount = entries.Length;
                if (!machine.DmaDirect.Map(this, entry))
                {
                    // One segment failed: undo the others without syncing, as dma_direct_map_sg does, and fail the list.
                    Mappings.Return(entry);
                    for (var done = 0; done < i; done++)
                    {
                        machine.DmaDirect.Abandon(this, mapped[done]);
                        Mappings.Return(mapped[done]);
                        entries[done].DmaAddress = DmaAddress.Error;
                        entries[done].DmaLength = 0;
                    }

                    return 0;
                }

                mapped[i] = entry;
                entries[i].DmaAddress = new DmaAddress(entry.Bus);
                entries[i].DmaLength = entry.Size;
            }

            foreach (var entry in mapped)
            {
                Activate(entry);
            }

            return entries.Length;
        }
    }

    /// <inheritdoc cref="UnmapSg(ReadOnlySpan{ScatterEntry}, DmaDirection)"/>
    public partial void UnmapSg(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction)
    {
        Machine.ThrowIfDisposed();
        DmaArguments.CheckDirection(direction, "dma_unmap_sg");
        if (entries.IsEmpty)
        {
            throw new ArgumentException($"dma_unmap_sg on {Name}: the scatter-gather list is empty.", nameof(entries));
        }

        var machine = Machine;
        var debug = machine.DmaDebug;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();

            // Find every segment first (taking each out so a repeated address finds the next one): without
            // dma-debug a missing segment is an error before anything has changed.
            var found = new DmaMapping?[entries.Length];
            List<DmaDebugViolation>? violations = null;
            for (var i = 0; i < entries.Length; i++)
            {
                var address = entries[i].DmaAddress;
                found[i] = address.IsError ? null : Mappings.FindExact(address.Value, entries[i].DmaLength, MappingKind.ScatterGather, direction);
                if (found[i] is { } entry)
                {
                    Mappings.Remove(entry);
                    continue;
                }

                var unknown = debug.UnknownUnmap(this, address.Value, entries[i].DmaLength, MappingKind.ScatterGather);
                if (!debug.Enabled)
                {
                    for (var back = 0; back < i; back++)
                    {
                        Mappings.Add(found[back]!);
                    }

                    throw new ArgumentException($"dma_unmap_sg on {Name}, segment {i}: {unknown.Message}.", nameof(entries));
                }

                (violations ??= new List<DmaDebugViolation>()).Add(unknown);
            }

            for (var i = 0; i < entries.Length; i++)
            {
                if (found[i] is not { } entry)
                {
                    continue;
                }

                if (debug.Enabled && debug.CheckUnmap(this, entry, entries[i].DmaLength, direction, MappingKind.ScatterGather, entries.Length, entry.CpuAddress) is { } wrong)
                {
                    (violations ??= new List<DmaDebugViolation>()).AddRange(wrong);
                }

                Mappings.Add(entry); // back in, so Deactivate takes it out with the rest of its bookkeeping
                Deactivate(entry);
                machine.DmaDirect.Unmap(this, entry, entries[i].DmaLength, direction);
                Mappings.Return(entry);
            }

            debug.Report(violations);
        }
    }

    /// <inheritdoc cref="SyncSgForCpu(ReadOnlySpan{ScatterEntry}, DmaDirection)"/>
    public partial void SyncSgForCpu(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction) => SyncSg(entries, direction, toCpu: true);

    /// <inheritdoc cref="SyncSgForDevice(ReadOnlySpan{ScatterEntry}, DmaDirection)"/>
    public partial void SyncSgForDevice(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction) => SyncSg(entries, direction, toCpu: false);

    private void SyncSg(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction, bool toCpu)
    {
        var operation = toCpu ? "dma_sync_sg_for_cpu" : "dma_sync_sg_for_device";
        Machine.ThrowIfDisposed();
        DmaArguments.CheckDirection(direction, operation);
        if (entries.IsEmpty)
        {
            throw new ArgumentException($"{operation} on {Name}: the scatter-gather list is empty.", nameof(entries));
        }

        var machine = Machine;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            if (!machine.DmaDebug.Enabled)
            {
                // Without dma-debug an unknown segment is an error: find them all before syncing any.
                for (var i = 0; i < entries.Length; i++)
                {
                    if (entries[i].DmaAddress.IsError || Mappings.FindHolding(entries[i].DmaAddress.Value) is null)
                    {
                        var unknown = machine.DmaDebug.UnknownSync(this, entries[i].DmaAddress.Value, entries[i].DmaLength);
                        throw new ArgumentException($"{operation} on {Name}, segment {i}: {unknown.Message}.", nameof(entries));
                    }
                }
            }

            List<DmaDebugViolation>? violations = null;
            for (var i = 0; i < entries.Length; i++)
            {
                if (SyncOne(entries[i].DmaAddress, entries[i].DmaLength, direction, toCpu, entries.Length, operation) is { } found)
                {
                    (violations ??= new List<DmaDebugViolation>()).AddRange(found);
                }
            }

            machine.DmaDebug.Report(violations);
        }
    }
}
