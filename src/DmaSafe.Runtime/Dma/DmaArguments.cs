using System;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// Rejects input no DMA call can act on (null, the zero-size pointer, 0 bytes, <c>DMA_NONE</c> or an undefined
/// direction) before anything changes, so the machine stays as it was.
/// </summary>
/// <remarks>
/// The checks are a couple of compares inlined into every map and unmap; the messages are built in separate,
/// never-inlined methods so the hot callers carry no string-formatting code (smaller frames, less to zero).
/// </remarks>
internal static unsafe class DmaArguments
{
    public static void CheckDirection(DmaDirection direction, string operation)
    {
        if ((uint)direction >= (uint)DmaDirection.None)
        {
            ThrowBadDirection(direction, operation);
        }
    }

    public static void CheckBuffer(void* cpuAddress, nuint size, string operation, string? segment = null)
    {
        if ((nuint)cpuAddress <= SizeClasses.ZeroSizePointer || size == 0)
        {
            ThrowBadBuffer(cpuAddress, size, segment is null ? operation : $"{operation} {segment}");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadDirection(DmaDirection direction, string operation)
    {
        if (direction == DmaDirection.None)
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, $"{operation}: DMA_NONE is for debugging only; use DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL.");
        }

        throw new ArgumentOutOfRangeException(nameof(direction), direction, $"{operation}: {(int)direction} is not a DMA direction.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadBuffer(void* cpuAddress, nuint size, string where)
    {
        if (cpuAddress == null)
        {
            throw new ArgumentNullException(nameof(cpuAddress), $"{where}: the buffer pointer is null.");
        }

        if ((nuint)cpuAddress <= SizeClasses.ZeroSizePointer)
        {
            throw new ArgumentException($"{where}: 0x{(ulong)(nuint)cpuAddress:x} is the zero-size pointer kmalloc(0) returns; it holds no bytes to map.", nameof(cpuAddress));
        }

        throw new ArgumentOutOfRangeException(nameof(size), (ulong)size, $"{where}: cannot map 0 bytes at 0x{(ulong)(nuint)cpuAddress:x}.");
    }
}
