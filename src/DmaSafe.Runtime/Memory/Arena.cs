using System;
using System.Runtime.InteropServices;

namespace DmaSafe;

/// <summary>
/// The machine's RAM as the CPU sees it: one page-aligned native block. The general part is carved up by the page
/// allocator; the tail is the swiotlb bounce pool. Bus addresses are offsets from <see cref="BusBase"/>, so a bus
/// address is never a valid CPU pointer and mixing them up is caught.
/// </summary>
internal sealed unsafe class Arena : IDisposable
{
    /// <summary>Where RAM starts on the simulated bus (arm64 boards commonly put DRAM at 2 GiB).</summary>
    public const ulong BusBase = 0x8000_0000;

    public Arena(long memoryBytes, long swiotlbBytes, int pageSize)
    {
        GeneralBytes = (nuint)memoryBytes;
        SwiotlbBytes = (nuint)swiotlbBytes;
        TotalBytes = GeneralBytes + SwiotlbBytes;
        // Aligning to the largest buddy block makes every page block naturally aligned in absolute terms, as
        // physical page blocks are in a kernel, so kmalloc and page addresses carry their real alignment.
        Base = (byte*)NativeMemory.AlignedAlloc(TotalBytes, (nuint)pageSize << PageAllocator.MaxOrder);
        if (Base == null)
        {
            throw new OutOfMemoryException($"Could not reserve {TotalBytes} bytes of native memory for the simulated machine.");
        }

        Start = (nuint)Base;
        SwiotlbBase = Base + GeneralBytes;
    }

    public byte* Base { get; private set; }

    /// <summary><see cref="Base"/> as a number, for range checks.</summary>
    public nuint Start { get; }

    public nuint GeneralBytes { get; }

    public nuint SwiotlbBytes { get; }

    public nuint TotalBytes { get; }

    public byte* SwiotlbBase { get; }

    /// <summary>True when [address, address + length) lies inside the arena (general part or swiotlb pool).</summary>
    public bool Contains(nuint address, nuint length) =>
        address >= Start && length <= TotalBytes && address - Start <= TotalBytes - length;

    /// <summary>True when [address, address + length) lies inside the part the page allocator manages.</summary>
    public bool ContainsGeneral(nuint address, nuint length) =>
        address >= Start && length <= GeneralBytes && address - Start <= GeneralBytes - length;

    /// <summary>True when [address, address + length) lies inside the swiotlb pool.</summary>
    public bool ContainsSwiotlb(nuint address, nuint length) =>
        address >= (nuint)SwiotlbBase && length <= SwiotlbBytes && address - (nuint)SwiotlbBase <= SwiotlbBytes - length;

    /// <summary>The bus address of a CPU address inside the arena.</summary>
    public ulong ToBus(nuint cpuAddress) => BusBase + (ulong)(cpuAddress - Start);

    /// <summary>The CPU address of [bus, bus + length), or false when that range is not RAM.</summary>
    public bool TryToCpu(ulong bus, nuint length, out nuint cpuAddress)
    {
        cpuAddress = 0;
        if (bus < BusBase || bus == ulong.MaxValue)
        {
            return false;
        }

        var offset = bus - BusBase;
        if (offset > (ulong)TotalBytes || (ulong)length > (ulong)TotalBytes - offset)
        {
            return false;
        }

        cpuAddress = Start + (nuint)offset;
        return true;
    }

    public void Dispose()
    {
        if (Base != null)
        {
            NativeMemory.AlignedFree(Base);
            Base = null;
        }
    }
}
