namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>How a driver's state struct places its DMA buffers.</summary>
internal enum StateShape
{
    /// <summary>Buffers between CPU fields, no [DmaAligned]: the receive buffer is DMA001 (the transmit one is ToDevice only).</summary>
    SharedLines,

    /// <summary>[DmaAligned] explicit layout, every buffer on its own lines: clean.</summary>
    AlignedExplicit,

    /// <summary>[DmaAligned] sequential layout with hand padding (<c>_pad0</c>, <c>_pad1</c>): clean.</summary>
    AlignedPadded,

    /// <summary>The shared layout under [DmaBounceOk] on the struct: silent.</summary>
    SharedButBounceOk,

    /// <summary>A [DmaAligned] buffer struct embedded at offset 8 of the state: DMA001 on its receive buffer.</summary>
    NestedMisplaced,
}

/// <summary>Where ReadStatus gets the buffer it maps.</summary>
internal enum StatusBuffer
{
    /// <summary>Kmalloc of 8..96 bytes without Gfp.DmaAligned: DMA002, and a bounce hot spot in the profile for some.</summary>
    SmallKmalloc,

    /// <summary>The same with Gfp.DmaAligned: clean.</summary>
    SmallKmallocMarked,

    /// <summary>Kmalloc of 256 or 512 bytes: the size class starts on a line, clean.</summary>
    LargeKmalloc,

    /// <summary>SmallKmalloc under [DmaBounceOk] on the method: silent, also for its profile entry.</summary>
    SmallKmallocBounceOk,

    /// <summary>stackalloc: DMA003.</summary>
    Stack,
}

/// <summary>The random choices for one driver, drawn in a fixed order from the project's seed.</summary>
internal sealed record DriverUnitChoices(
    int Index,
    string Name,
    StateShape Shape,
    int RxBytes,
    int TxBytes,
    StatusBuffer Status,
    int StatusBytes,
    bool Profiled,
    bool ChecksStatusMapping,
    bool MarksHelperParameter)
{
    private static readonly string[] Kinds = ["Adc", "Dac", "Spi", "I2c", "Uart", "Eth", "Can", "Imu", "Pwm", "Dsp"];

    public static DriverUnitChoices Draw(int index, SplitMix64 random)
    {
        var name = Kinds[random.Below(Kinds.Length)] + index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        var shape = random.Below(20) switch
        {
            < 8 => StateShape.SharedLines,
            < 12 => StateShape.AlignedExplicit,
            < 16 => StateShape.AlignedPadded,
            < 18 => StateShape.SharedButBounceOk,
            _ => StateShape.NestedMisplaced,
        };
        var rx = random.Pick(128, 256);
        var tx = random.Pick(16, 64, 128);
        var status = random.Below(20) switch
        {
            < 7 => StatusBuffer.SmallKmalloc,
            < 11 => StatusBuffer.SmallKmallocMarked,
            < 16 => StatusBuffer.LargeKmalloc,
            < 19 => StatusBuffer.SmallKmallocBounceOk,
            _ => StatusBuffer.Stack,
        };
        var statusBytes = status == StatusBuffer.LargeKmalloc ? random.Pick(256, 512) : random.Pick(8, 16, 32, 64, 96);
        var profiled = status is StatusBuffer.SmallKmalloc or StatusBuffer.SmallKmallocBounceOk && random.Chance(1, 2);
        var checks = !random.Chance(1, 12);
        var marks = !random.Chance(1, 10);
        return new DriverUnitChoices(index, name, shape, rx, tx, status, statusBytes, profiled, checks, marks);
    }
}
