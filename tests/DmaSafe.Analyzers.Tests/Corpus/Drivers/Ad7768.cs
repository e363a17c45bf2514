namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>drivers/iio/adc/ad7768-1.c, struct ad7768_state: a union of scan, 32-bit and 8-bit views read by SPI.</summary>
internal static class Ad7768
{
    private const string Probe = """
            [StructLayout(LayoutKind.Explicit)]
            public unsafe struct Ad7768Data
            {
                [FieldOffset(0)] public uint scan_chan;
                [FieldOffset(8)] public long scan_timestamp;
                [FieldOffset(0)] public uint d32;
                [FieldOffset(0)] public fixed byte d8[2];
            }
            public static unsafe class Probe
            {
                public static void Read(Ad7768State* st, DmaDevice dev) => dev.MapSingle(&st->data, 16, DmaDirection.FromDevice);
            }
        """;

    private const string Fields = """
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
        """;

    public static CorpusDriver Driver { get; } = new(
        "ad7768-1",
        "Ad7768State",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Ad7768State
            {
        """ + Fields + """
                public Ad7768Data data;                // ____cacheline_aligned: 120 -> 128
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Ad7768State
            {
        """ + Fields + """
                public Ad7768Data data;                // __aligned(IIO_DMA_MINALIGN): 120 -> 128
            }
        """ + Probe + "}\n",
        new[] { "data" },
        new[] { "data" });
}
