// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.After;

[DmaAligned]
public unsafe struct Sca3000State
{
    public nint us;
    public nint info;
    public long last_timestamp;
    public int mo_det_use_count;
    public Mutex @lock;
    private fixed byte _pad0[64];          // __aligned(IIO_DMA_MINALIGN): 64 -> 128
    public fixed byte rx[384];
    public fixed byte tx[6];               // __aligned(IIO_DMA_MINALIGN): 512 already
}

public static unsafe class Sca3000StateProbe
{
    public static void ReadRing(Sca3000State* st, DmaDevice dev)
    {
        dev.MapSingle(st->tx, 6, DmaDirection.ToDevice);
        dev.MapSingle(st->rx, 384, DmaDirection.FromDevice);
    }
}
