using System;

namespace DmaSafe;

/// <summary>Coherent allocations (<c>dma_alloc_coherent</c>): whole pages both sides see alike, so no syncs and no hazards.</summary>
public sealed unsafe partial class DmaDevice
{
    /// <inheritdoc cref="AllocCoherent(nuint, out DmaAddress, string, string, int)"/>
    public partial void* AllocCoherent(nuint size, out DmaAddress handle, string member, string file, int line)
    {
        Machine.ThrowIfDisposed();
        handle = DmaAddress.Error;
        if (size == 0 || size > Machine.Slab.MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), (ulong)size, $"dma_alloc_coherent on {Name}: size must be 1 … {(ulong)Machine.Slab.MaxSize} bytes.");
        }

        // Zeroed, like the kernel's; on a non-coherent device the pages are mapped uncached, so the model lets the
        // device use the CPU view directly and never tracks their lines.
        var memory = Machine.Slab.AllocatePages(size, PageBlockKind.Coherent, Gfp.Zero, new SourceSite(member, file, line));
        if (memory == null)
        {
            return null;
        }

        ulong bus;
        using (Machine.DmaLock.EnterScope())
        {
            Machine.ThrowIfDisposed();
            var entry = Mappings.Rent(); // the table's spare is guarded by the DMA lock
            Fill(entry, MappingKind.Coherent, (nuint)memory, size, DmaDirection.Bidirectional, member, file, line);
            entry.Target = entry.CpuAddress;
            entry.Bus = bus = Machine.Memory.ToBus(entry.CpuAddress);
            Mappings.Add(entry);
        }

        handle = new DmaAddress(bus);
        return memory;
    }

    /// <inheritdoc cref="FreeCoherent(nuint, void*, DmaAddress)"/>
    public partial void FreeCoherent(nuint size, void* cpuAddress, DmaAddress handle)
    {
        Machine.ThrowIfDisposed();
        var machine = Machine;
        var debug = machine.DmaDebug;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            var entry = FindForRelease(handle, size, DmaDirection.Bidirectional, MappingKind.Coherent, "dma_free_coherent");
            if (entry is null)
            {
                return;
            }

            if (entry.Kind != MappingKind.Coherent)
            {
                // A streaming mapping handed to the coherent free: freeing its pages would pull memory from under the driver.
                var wrong = debug.CheckUnmap(this, entry, size, DmaDirection.Bidirectional, MappingKind.Coherent, 0, (nuint)cpuAddress)!;
                if (!debug.Enabled)
                {
                    throw new ArgumentException($"dma_free_coherent on {Name}: {wrong[0].Message}.", nameof(handle));
                }

                debug.Report(wrong);
                return;
            }

            var violations = debug.Enabled ? debug.CheckUnmap(this, entry, size, DmaDirection.Bidirectional, MappingKind.Coherent, 0, (nuint)cpuAddress) : null;
            if (!machine.Slab.TryFindObject(entry.CpuAddress, out var span) || span.Owner is not PageBlock block)
            {
                throw new InvalidOperationException($"dma_free_coherent on {Name}: the pages at 0x{(ulong)entry.CpuAddress:x} are no longer a coherent block; the machine's memory is corrupted.");
            }

            Deactivate(entry);
            machine.Slab.FreePages(block, entry.CpuAddress, "dma_free_coherent");
            Mappings.Return(entry);
            debug.Report(violations);
        }
    }
}
