// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.Before;

public unsafe struct Adc0832
{
    public nint spi;
    public nint reg;
    public Mutex @lock;
    public byte mux_bits;
    private fixed byte _pad0[7];           // data __aligned(8): 49 -> 56
    public fixed byte data[24];
    private fixed byte _pad1[48];
    public fixed byte tx_buf[2];           // ____cacheline_aligned: 80 -> 128
    public fixed byte rx_buf[2];
}

public static unsafe class Adc0832Probe
{
    public static void Read(Adc0832* adc, DmaDevice dev)
    {
        dev.MapSingle(adc->tx_buf, 2, DmaDirection.ToDevice);
        dev.MapSingle(adc->rx_buf, 2, DmaDirection.FromDevice);
    }
}
