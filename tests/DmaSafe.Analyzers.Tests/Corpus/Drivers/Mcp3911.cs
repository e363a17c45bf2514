namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>drivers/iio/adc/mcp3911.c, struct mcp3911: a CPU-side scan struct, then the SPI tx/rx buffers.</summary>
internal static class Mcp3911
{
    private const string Probe = """
            public unsafe struct Mcp3911Scan { public fixed uint channels[2]; public long ts; }
            public static unsafe class Probe
            {
                public static void Trigger(Mcp3911* adc, DmaDevice dev)
                {
                    dev.MapSingle(adc->tx_buf, 6, DmaDirection.ToDevice);
                    dev.MapSingle(adc->rx_buf, 6, DmaDirection.FromDevice);
                }
            }
        """;

    private const string Fields = """
                public nint spi;
                public Mutex @lock;
                public nint vref;
                public nint clki;
                public uint dev_addr;
                public nint trig;
                public Mcp3911Scan scan;
        """;

    public static CorpusDriver Driver { get; } = new(
        "mcp3911",
        "Mcp3911",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Mcp3911
            {
        """ + Fields + """
                private fixed byte _pad0[40];          // ____cacheline_aligned: 88 -> 128
                public fixed byte tx_buf[6];
                public fixed byte rx_buf[6];
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Mcp3911
            {
        """ + Fields + """
                private fixed byte _pad0[40];          // __aligned(IIO_DMA_MINALIGN): 88 -> 128
                public fixed byte tx_buf[6];
                public fixed byte rx_buf[6];
            }
        """ + Probe + "}\n",
        new[] { "rx_buf" },
        new[] { "tx_buf", "rx_buf" });
}
