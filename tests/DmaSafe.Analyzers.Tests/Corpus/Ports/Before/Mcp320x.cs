// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.Before;

public unsafe struct Mcp320x
{
    public nint spi;
    public SpiMessage msg;
    public SpiTransfer2 transfer;
    public SpiMessage start_conv_msg;
    public SpiTransfer start_conv_transfer;
    public nint reg;
    public Mutex @lock;
    public nint chip_info;
    private fixed byte _pad0[48];          // ____cacheline_aligned: 528 -> 576
    public byte tx_buf;
    public fixed byte rx_buf[4];
}

public static unsafe class Mcp320xProbe
{
    public static void Read(Mcp320x* adc, DmaDevice dev)
    {
        dev.MapSingle(&adc->tx_buf, 1, DmaDirection.ToDevice);
        dev.MapSingle(adc->rx_buf, 4, DmaDirection.FromDevice);
    }
}
