// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.After;

[DmaAligned]
public unsafe struct Max31865Data
{
    public nint spi;
    public Mutex @lock;
    public bool filter_50hz;
    public bool three_wire;
    private fixed byte _pad0[86];          // __aligned(IIO_DMA_MINALIGN): 42 -> 128
    public fixed byte buf[2];
}

public static unsafe class Max31865DataProbe
{
    public static void Read(Max31865Data* data, DmaDevice dev) => dev.MapSingle(data->buf, 2, DmaDirection.FromDevice);
}
