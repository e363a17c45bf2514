namespace DmaSafe.Analyzers.Tests.Corpus.Drivers;

/// <summary>drivers/iio/accel/sca3000.c, struct sca3000_state: both buffers aligned ("Can these share a cacheline?").</summary>
internal static class Sca3000
{
    private const string Probe = """
            public static unsafe class Probe
            {
                public static void ReadRing(Sca3000State* st, DmaDevice dev)
                {
                    dev.MapSingle(st->tx, 6, DmaDirection.ToDevice);
                    dev.MapSingle(st->rx, 384, DmaDirection.FromDevice);
                }
            }
        """;

    private const string Fields = """
                public nint us;
                public nint info;
                public long last_timestamp;
                public int mo_det_use_count;
                public Mutex @lock;
        """;

    public static CorpusDriver Driver { get; } = new(
        "sca3000",
        "Sca3000State",
        """
        namespace Before
        {
            using Kernel;
            public unsafe struct Sca3000State
            {
        """ + Fields + """
                public fixed byte rx[384];             // ____cacheline_aligned: 64 already
                public fixed byte tx[6];               // ____cacheline_aligned: 448 already
            }
        """ + Probe + "}\n",
        """
        namespace After
        {
            using Kernel;
            [DmaAligned]
            public unsafe struct Sca3000State
            {
        """ + Fields + """
                private fixed byte _pad0[64];          // __aligned(IIO_DMA_MINALIGN): 64 -> 128
                public fixed byte rx[384];
                public fixed byte tx[6];               // __aligned(IIO_DMA_MINALIGN): 512 already
            }
        """ + Probe + "}\n",
        new[] { "rx" },
        new[] { "rx", "tx" });
}
