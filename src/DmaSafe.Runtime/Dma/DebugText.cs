using System.Globalization;

namespace DmaSafe;

/// <summary>The pieces dma-debug's messages are built from, labelled <c>[key=value]</c> as the kernel prints them.</summary>
internal static class DebugText
{
    public static string Hex(ulong value) => "0x" + value.ToString("x16", CultureInfo.InvariantCulture);

    public static string Hex(nuint value) => Hex((ulong)value);

    /// <summary><c>[device address=0x…] [size=N bytes]</c>.</summary>
    public static string DeviceAddress(ulong bus, nuint size) => $"[device address={Hex(bus)}] [size={(ulong)size} bytes]";

    public static string Direction(DmaDirection direction) => direction switch
    {
        DmaDirection.Bidirectional => "DMA_BIDIRECTIONAL",
        DmaDirection.ToDevice => "DMA_TO_DEVICE",
        DmaDirection.FromDevice => "DMA_FROM_DEVICE",
        DmaDirection.None => "DMA_NONE",
        _ => $"invalid direction {(int)direction}",
    };

    /// <summary>dma-debug's type names, misspelling included.</summary>
    public static string Kind(MappingKind kind) => kind switch
    {
        MappingKind.Single => "single",
        MappingKind.ScatterGather => "scather-gather",
        _ => "coherent",
    };
}
