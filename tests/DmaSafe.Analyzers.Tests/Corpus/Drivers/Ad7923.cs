namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>drivers/iio/adc/ad7923.c, struct ad7923_state: rx_buf then tx_buf in one aligned block.</summary>
internal static class Ad7923
{
    private const string Probe = """
            public static unsafe class Probe
            {
                public static void Scan(Ad7923State* st, DmaDevice dev)
                {
                    dev.MapSingle(st->tx_buf, 8, DmaDirection.ToDevice);
                    dev.MapSingle(st->rx_buf, 24, DmaDirection.FromDevice);
                }
            }
        """;

    private const string Fields = """
                public nint spi;
                public SpiTransfer5 ring_xfer;
                public SpiTransfer2 scan_single_xfer;
                public SpiMessage ring_msg;
                public SpiMessage scan_single_msg;
                public nint reg;
                public uint settings;
        """;

    public static CorpusDriver Driver { get; } = new(
        "ad7923",
        "Ad7923State",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Ad7923State
            {
        """ + Fields + """
                private fixed byte _pad0[52];          // ____cacheline_aligned: 908 -> 960
                public fixed ushort rx_buf[12];
                public fixed ushort tx_buf[4];
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Ad7923State
            {
        """ + Fields + """
                private fixed byte _pad0[116];         // __aligned(IIO_DMA_MINALIGN): 908 -> 1024
                public fixed ushort rx_buf[12];
                public fixed ushort tx_buf[4];
            }
        """ + Probe + "}\n",
        new[] { "rx_buf" },
        new[] { "rx_buf", "tx_buf" });
}
