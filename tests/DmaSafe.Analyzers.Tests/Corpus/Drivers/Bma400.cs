namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>
/// drivers/iio/accel/bma400_core.c, struct bma400_data: the scan buffer, then the status word regmap also reads by DMA
/// (kept after the buffer in the fixed version, KERNEL-FACTS §9). Before the fix the buffer already sat at 256, a
/// multiple of 128, but iio_priv() only aligned the struct to 64.
/// </summary>
internal static class Bma400
{
    private const string Probe = """
            public unsafe struct Bma400Scan { public fixed ushort buff[3]; public byte temperature; public long ts; }
            public static unsafe class Probe
            {
                public static void Trigger(Bma400Data* data, DmaDevice dev)
                {
                    dev.MapSingle(&data->buffer, 16, DmaDirection.FromDevice);
                    dev.MapSingle(&data->status, 2, DmaDirection.FromDevice);
                }
            }
        """;

    private const string Fields = """
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
        """;

    public static CorpusDriver Driver { get; } = new(
        "bma400",
        "Bma400Data",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Bma400Data
            {
        """ + Fields + """
                public Bma400Scan buffer;              // ____cacheline_aligned: 204 -> 256
                public ushort status;
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Bma400Data
            {
        """ + Fields + """
                public Bma400Scan buffer;              // __aligned(IIO_DMA_MINALIGN): 204 -> 256
                public ushort status;
            }
        """ + Probe + "}\n",
        new[] { "buffer", "status" },
        new[] { "buffer", "status" });
}
