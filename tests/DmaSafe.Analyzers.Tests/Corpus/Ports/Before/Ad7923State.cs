// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.Before;

public unsafe struct Ad7923State
{
    public nint spi;
    public SpiTransfer5 ring_xfer;
    public SpiTransfer2 scan_single_xfer;
    public SpiMessage ring_msg;
    public SpiMessage scan_single_msg;
    public nint reg;
    public uint settings;
    private fixed byte _pad0[52];          // ____cacheline_aligned: 908 -> 960
    public fixed ushort rx_buf[12];
    public fixed ushort tx_buf[4];
}

public static unsafe class Ad7923StateProbe
{
    public static void Scan(Ad7923State* st, DmaDevice dev)
    {
        dev.MapSingle(st->tx_buf, 8, DmaDirection.ToDevice);
        dev.MapSingle(st->rx_buf, 24, DmaDirection.FromDevice);
    }
}
