using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// The byte copies the model makes between distinct blocks of the machine (CPU view and RAM view, buffer and bounce
/// slots): write-backs, refills, bounce copy-in and copy-out.
/// </summary>
/// <remarks>
/// <c>Buffer.MemoryCopy</c> copies up to 2 KiB with the runtime's own vectorised loop and hands longer copies
/// to the C library's memmove through a P/Invoke. On the x64 VM the benchmarks run on (glibc, AMD EPYC) that costs
/// 47 ns for 4 KiB, where two 2 KiB copies cost 36 ns, so longer copies go in 2 KiB pieces. Forward pieces are only
/// right because the model never copies between overlapping ranges (the blocks are distinct; asserted).
/// </remarks>
internal static unsafe class ModelCopy
{
    /// <summary>The longest copy <c>Buffer.MemoryCopy</c> keeps in managed code on x64.</summary>
    private const nuint Piece = 2048;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(void* from, void* to, nuint length)
    {
        Debug.Assert((nuint)to + length <= (nuint)from || (nuint)from + length <= (nuint)to, "the model copies between distinct blocks only");
        if (length <= Piece)
        {
            Buffer.MemoryCopy(from, to, length, length);
            return;
        }

        CopyInPieces((byte*)from, (byte*)to, length);
    }

    private static void CopyInPieces(byte* from, byte* to, nuint length)
    {
        for (; length > Piece; from += Piece, to += Piece, length -= Piece)
        {
            Buffer.MemoryCopy(from, to, Piece, Piece);
        }

        Buffer.MemoryCopy(from, to, length, length);
    }
}
