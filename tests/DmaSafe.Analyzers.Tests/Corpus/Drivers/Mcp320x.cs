namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>drivers/iio/adc/mcp320x.c, struct mcp320x (earlier bug: 0e81bc99a082 "iio: mcp320x: Fix occasional incorrect readings").</summary>
internal static class Mcp320x
{
    private const string Probe = """
            public static unsafe class Probe
            {
                public static void Read(Mcp320x* adc, DmaDevice dev)
                {
                    dev.MapSingle(&adc->tx_buf, 1, DmaDirection.ToDevice);
                    dev.MapSingle(adc->rx_buf, 4, DmaDirection.FromDevice);
                }
            }
        """;

    public static CorpusDriver Driver { get; } = new(
        "mcp320x",
        "Mcp320x",
        """
        namespace Before
        {
            using Kernel;
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
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
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
                private fixed byte _pad0[112];         // __aligned(IIO_DMA_MINALIGN): 528 -> 640
                public byte tx_buf;
                public fixed byte rx_buf[4];
            }
        """ + Probe + "}\n",
        new[] { "rx_buf" },
        new[] { "tx_buf", "rx_buf" });
}
