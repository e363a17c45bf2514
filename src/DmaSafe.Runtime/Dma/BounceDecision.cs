namespace DmaSafe;

/// <summary>
/// When a streaming mapping goes through the swiotlb pool, per <see cref="BouncePolicy"/> (KERNEL-FACTS §3).
/// A pure function of the device, the direction, the buffer and the slab's view of who owns the bytes around it.
/// </summary>
internal static class BounceDecision
{
    public static bool NeedsBounce(Machine machine, DmaDevice device, nuint cpu, nuint size, DmaDirection direction)
    {
        var policy = machine.Options.BouncePolicy;
        if (policy == BouncePolicy.Always)
        {
            return true; // swiotlb=force: every mapping, every device, every direction
        }

        // Coherent devices snoop, and a device that only reads loses nothing to a shared line (map cleans it).
        if (policy == BouncePolicy.Never || device.Coherent || direction == DmaDirection.ToDevice)
        {
            return false;
        }

        return policy == BouncePolicy.KmallocSize
            ? !KmallocSizeAligned(machine, size)
            : !LinesAreItsOwn(machine, cpu, size);
    }

    /// <summary>
    /// Linux 6.5's <c>dma_kmalloc_size_aligned()</c>: the size alone says whether a kmalloc buffer of that size
    /// would sit on lines of its own. It never looks at the address, so buffers embedded in larger objects escape it.
    /// </summary>
    public static bool KmallocSizeAligned(Machine machine, nuint size)
    {
        var line = (nuint)machine.Options.DmaMinAlign;
        return size >= 2 * line || machine.KmallocSizeRoundup(size) % line == 0;
    }

    /// <summary>
    /// Linus's rule made precise: the buffer needs no bounce when every line it covers only partly holds, outside
    /// the buffer, nothing anyone may write during the transfer. The one such case is the unused tail of the very
    /// object the buffer ends in (beyond its requested size, which no one may touch), so <c>kmalloc(100)</c> mapped
    /// whole from a line boundary stays unbounced. Other fields, other live objects, free slots that could be handed
    /// out meanwhile, and memory of unknown owner all make the line shared.
    /// </summary>
    public static bool LinesAreItsOwn(Machine machine, nuint cpu, nuint size)
    {
        var line = (nuint)machine.Options.DmaMinAlign;
        var mask = line - 1;
        var end = cpu + size;
        if ((cpu & mask) != 0 && !IsOwnSlack(machine, cpu, cpu & ~mask, cpu))
        {
            return false;
        }

        return (end & mask) == 0 || IsOwnSlack(machine, end - 1, end, (end + mask) & ~mask);
    }

    /// <summary>
    /// The naive address check Catalin Marinas reports had bounced far too much: any start or end off a line
    /// boundary bounces. Kept to count what <see cref="LinesAreItsOwn"/> saves.
    /// </summary>
    public static bool NaiveStartEndAligned(Machine machine, nuint cpu, nuint size)
    {
        var mask = (nuint)machine.Options.DmaMinAlign - 1;
        return ((cpu | (cpu + size)) & mask) == 0;
    }

    /// <summary>True when [from, to) is unused tail of the live object holding <paramref name="inside"/>.</summary>
    private static bool IsOwnSlack(Machine machine, nuint inside, nuint from, nuint to)
    {
        if (!machine.Slab.TryFindObject(inside, out var owner) || !owner.Live)
        {
            return false;
        }

        return from >= owner.Base + owner.RequestedSize && to <= owner.Base + owner.ObjectSize;
    }
}
