// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using System.Runtime.InteropServices;
using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.Before;

public unsafe struct Ad7768State
{
    public nint spi;
    public nint vref;
    public Mutex @lock;
    public nint mclk;
    public uint mclk_freq;
    public uint samp_freq;
    public Completion completion;
    public nint trig;
    public nint gpio_sync_in;
    public nint label0;
    private fixed byte _pad0[8];
    public Ad7768Data data;                // ____cacheline_aligned: 120 -> 128
}

[StructLayout(LayoutKind.Explicit)]
public unsafe struct Ad7768Data
{
    [FieldOffset(0)] public uint scan_chan;
    [FieldOffset(8)] public long scan_timestamp;
    [FieldOffset(0)] public uint d32;
    [FieldOffset(0)] public fixed byte d8[2];
}

public static unsafe class Ad7768StateProbe
{
    public static void Read(Ad7768State* st, DmaDevice dev) => dev.MapSingle(&st->data, 16, DmaDirection.FromDevice);
}
