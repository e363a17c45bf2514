using System;
using System.Runtime.InteropServices;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>Small machines and recognisable byte patterns for the DMA tests.</summary>
internal static class TestMachines
{
    /// <summary>A machine small enough that tests can make many (8 MiB of RAM, 1 MiB of bounce pool).</summary>
    public static Machine Create(
        BouncePolicy policy = BouncePolicy.Alignment,
        EvictionPolicy eviction = EvictionPolicy.None,
        int seed = 0,
        bool pureInvalidate = false,
        bool debug = true,
        DebugViolationAction onViolation = DebugViolationAction.Throw,
        long swiotlbBytes = 1L << 20) =>
        new(new MachineOptions
        {
            BouncePolicy = policy,
            Eviction = eviction,
            Seed = seed,
            InvalidatePartialLinesWithoutClean = pureInvalidate,
            DebugChecks = debug,
            OnDebugViolation = onViolation,
            MemoryBytes = 8L << 20,
            SwiotlbBytes = swiotlbBytes,
        });

    /// <summary>Bytes a device "receives": never zero, so they cannot pass for cleared memory.</summary>
    public static byte[] Pattern(int length, int salt = 0)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(0x80 | ((i * 7 + salt) & 0x7f));
        }

        return bytes;
    }

    public static unsafe byte[] Read(void* address, int length) => new ReadOnlySpan<byte>(address, length).ToArray();
}

/// <summary>The seed scenario's driver struct: a CPU-owned status word, then a 128-byte receive buffer at offset 4.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StatusThenRx128
{
    public int Status;
    public fixed byte Rx[128];
}

/// <summary>The same with a 300-byte buffer (a 512-byte kmalloc object).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StatusThenRx300
{
    public int Status;
    public fixed byte Rx[300];
}

/// <summary>The same with a 16-byte buffer: small enough that Linux 6.5's size rule bounces it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StatusThenRx16
{
    public int Status;
    public fixed byte Rx[16];
}

/// <summary>The fixed layout (KERNEL-FACTS §9): the buffer on a line of its own, the struct marked for aligned allocation.</summary>
[DmaAligned]
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal unsafe struct StatusThenAlignedRx
{
    [FieldOffset(0)]
    public int Status;

    [FieldOffset(128)]
    public fixed byte Rx[128];
}
