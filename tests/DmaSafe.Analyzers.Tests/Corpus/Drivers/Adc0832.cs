namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>drivers/iio/adc/ti-adc0832.c, struct adc0832: a CPU scan buffer, then the SPI tx/rx pair.</summary>
internal static class Adc0832
{
    private const string Probe = """
            public static unsafe class Probe
            {
                public static void Read(Adc0832* adc, DmaDevice dev)
                {
                    dev.MapSingle(adc->tx_buf, 2, DmaDirection.ToDevice);
                    dev.MapSingle(adc->rx_buf, 2, DmaDirection.FromDevice);
                }
            }
        """;

    private const string Fields = """
                public nint spi;
                public nint reg;
                public Mutex @lock;
                public byte mux_bits;
                private fixed byte _pad0[7];           // data __aligned(8): 49 -> 56
                public fixed byte data[24];
                private fixed byte _pad1[48];
        """;

    public static CorpusDriver Driver { get; } = new(
        "ti-adc0832",
        "Adc0832",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Adc0832
            {
        """ + Fields + """
                public fixed byte tx_buf[2];           // ____cacheline_aligned: 80 -> 128
                public fixed byte rx_buf[2];
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Adc0832
            {
        """ + Fields + """
                public fixed byte tx_buf[2];           // __aligned(IIO_DMA_MINALIGN): 80 -> 128
                public fixed byte rx_buf[2];
            }
        """ + Probe + "}\n",
        new[] { "rx_buf" },
        new[] { "tx_buf", "rx_buf" });
}
