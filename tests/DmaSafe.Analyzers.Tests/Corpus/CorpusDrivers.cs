using System.Collections.Generic;

namespace DmaSafe.Analyzers.Tests.Corpus;

/// <summary>The ported drivers, each with the buffers its device writes (FromDevice) and all its DMA buffers.</summary>
public static class CorpusDrivers
{
    public static IReadOnlyList<CorpusDriver> All { get; } = new CorpusDriver[]
    {
        new("mcp320x", "drivers/iio/adc/mcp320x.c (earlier bug: 0e81bc99a082)", "Mcp320x", new[] { "rx_buf" }, new[] { "tx_buf", "rx_buf" }),
        new("ad7923", "drivers/iio/adc/ad7923.c", "Ad7923State", new[] { "rx_buf" }, new[] { "rx_buf", "tx_buf" }),
        new("max31865", "drivers/iio/temperature/max31865.c (review moved the bool flags before the buffer)", "Max31865Data", new[] { "buf" }, new[] { "buf" }),
        new("bma400", "drivers/iio/accel/bma400_core.c (status, also read by DMA, stays after the buffer)", "Bma400Data", new[] { "buffer", "status" }, new[] { "buffer", "status" }),
        new("sca3000", "drivers/iio/accel/sca3000.c", "Sca3000State", new[] { "rx" }, new[] { "rx", "tx" }),
        new("ad7266", "drivers/iio/adc/ad7266.c", "Ad7266State", new[] { "data" }, new[] { "data" }),
        new("ad7768-1", "drivers/iio/adc/ad7768-1.c", "Ad7768State", new[] { "data" }, new[] { "data" }),
        new("mcp3911", "drivers/iio/adc/mcp3911.c", "Mcp3911", new[] { "rx_buf" }, new[] { "tx_buf", "rx_buf" }),
        new("ti-adc0832", "drivers/iio/adc/ti-adc0832.c", "Adc0832", new[] { "rx_buf" }, new[] { "tx_buf", "rx_buf" }),
    };
}
