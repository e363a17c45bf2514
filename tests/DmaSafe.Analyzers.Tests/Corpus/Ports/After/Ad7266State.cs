// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.After;

[DmaAligned]
public unsafe struct Ad7266State
{
    public nint spi;
    public nint reg;
    public ulong vref_mv;
    public SpiTransfer3 single_xfer;
    public SpiMessage single_msg;
    public int range;
    public int mode;
    public bool fixed_addr;
    public nint gpio0;
    public nint gpio1;
    public nint gpio2;
    private fixed byte _pad0[56];
    public Ad7266Data data;                // __aligned(IIO_DMA_MINALIGN): 456 -> 512
}

public unsafe struct Ad7266Data { public fixed ushort sample[2]; public long timestamp; }

public static unsafe class Ad7266StateProbe
{
    public static void Trigger(Ad7266State* st, DmaDevice dev) => dev.MapSingle(&st->data, 16, DmaDirection.FromDevice);
}
