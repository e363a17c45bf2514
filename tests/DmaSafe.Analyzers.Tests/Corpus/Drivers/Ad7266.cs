namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>drivers/iio/adc/ad7266.c, struct ad7266_state: a sample + timestamp block read by SPI.</summary>
internal static class Ad7266
{
    private const string Probe = """
            public unsafe struct Ad7266Data { public fixed ushort sample[2]; public long timestamp; }
            public static unsafe class Probe
            {
                public static void Trigger(Ad7266State* st, DmaDevice dev) => dev.MapSingle(&st->data, 16, DmaDirection.FromDevice);
            }
        """;

    private const string Fields = """
                public nint spi;
                public nint reg;
                public ulong vref_mv;
                public SpiTransfer3 single_xfer;
                public SpiMessage single_msg;
                public int range;
                public int mode;
                public bool fixed_addr;
                public nint gpio0;
                public nint gpio1;
                public nint gpio2;
                private fixed byte _pad0[56];
        """;

    public static CorpusDriver Driver { get; } = new(
        "ad7266",
        "Ad7266State",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Ad7266State
            {
        """ + Fields + """
                public Ad7266Data data;                // ____cacheline_aligned: 456 -> 512
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Ad7266State
            {
        """ + Fields + """
                public Ad7266Data data;                // __aligned(IIO_DMA_MINALIGN): 456 -> 512
            }
        """ + Probe + "}\n",
        new[] { "data" },
        new[] { "data" });
}
