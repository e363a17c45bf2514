namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>
/// drivers/iio/temperature/max31865.c, struct max31865_data: the review of the fix moved the two bool flags from after
/// the buffer to before it (KERNEL-FACTS §9).
/// </summary>
internal static class Max31865
{
    private const string Probe = """
            public static unsafe class Probe
            {
                public static void Read(Max31865Data* data, DmaDevice dev) => dev.MapSingle(data->buf, 2, DmaDirection.FromDevice);
            }
        """;

    public static CorpusDriver Driver { get; } = new(
        "max31865",
        "Max31865Data",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Max31865Data
            {
                public nint spi;
                public Mutex @lock;
                private fixed byte _pad0[24];          // ____cacheline_aligned: 40 -> 64
                public fixed byte buf[2];
                public bool filter_50hz;
                public bool three_wire;
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Max31865Data
            {
                public nint spi;
                public Mutex @lock;
                public bool filter_50hz;
                public bool three_wire;
                private fixed byte _pad0[86];          // __aligned(IIO_DMA_MINALIGN): 42 -> 128
                public fixed byte buf[2];
            }
        """ + Probe + "}\n",
        new[] { "buf" },
        new[] { "buf" });
}
