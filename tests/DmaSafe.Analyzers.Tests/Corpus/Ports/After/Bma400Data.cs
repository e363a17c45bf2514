// A C# port of a Linux driver state struct for the DMA001 corpus (see CorpusTests). Compiled into the test assembly
// so it stays valid C#; CorpusTests reads this file's text and analyzes it with the kernel stand-ins.
#pragma warning disable CS0169, CS0649 // hand padding and kernel-owned fields are never touched by the port

using DmaSafe;
using DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.After;

[DmaAligned]
public unsafe struct Bma400Data
{
    public nint dev;
    public nint regmap;
    public RegulatorBulkData regulator0;
    public RegulatorBulkData regulator1;
    public Mutex mutex;
    public IioMountMatrix orientation;
    public int power_mode;
    public int sample_freq_hz;
    public int sample_freq_uhz;
    public int oversampling_ratio;
    public int scale;
    public nint trig;
    public int steps_enabled;
    public bool step_event_en;
    public bool activity_event_en;
    public uint generic_event_en;
    public uint duration;
    public uint thresh;
    private fixed byte _pad0[52];
    public Bma400Scan buffer;              // __aligned(IIO_DMA_MINALIGN): 204 -> 256
    public ushort status;
}

public unsafe struct Bma400Scan { public fixed ushort buff[3]; public byte temperature; public long ts; }

public static unsafe class Bma400DataProbe
{
    public static void Trigger(Bma400Data* data, DmaDevice dev)
    {
        dev.MapSingle(&data->buffer, 16, DmaDirection.FromDevice);
        dev.MapSingle(&data->status, 2, DmaDirection.FromDevice);
    }
}
