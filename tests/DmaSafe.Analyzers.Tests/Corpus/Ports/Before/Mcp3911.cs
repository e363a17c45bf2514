// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.Before;

public unsafe struct Mcp3911
{
    public nint spi;
    public Mutex @lock;
    public nint vref;
    public nint clki;
    public uint dev_addr;
    public nint trig;
    public Mcp3911Scan scan;
    private fixed byte _pad0[40];          // ____cacheline_aligned: 88 -> 128
    public fixed byte tx_buf[6];
    public fixed byte rx_buf[6];
}

public unsafe struct Mcp3911Scan { public fixed uint channels[2]; public long ts; }

public static unsafe class Mcp3911Probe
{
    public static void Trigger(Mcp3911* adc, DmaDevice dev)
    {
        dev.MapSingle(adc->tx_buf, 6, DmaDirection.ToDevice);
        dev.MapSingle(adc->rx_buf, 6, DmaDirection.FromDevice);
    }
}
