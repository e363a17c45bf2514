using System.Collections.Generic;

namespace DmaSafe.Analyzers.Tests.Corpus;

/// <summary>
/// A C# port of one Linux driver's state struct before and after the 2022 "Fix alignment for DMA safety" series
/// (v5.19, 12c4efe3509b and the ~90 driver patches), in Ports/Before/{Struct}.cs and Ports/After/{Struct}.cs.
/// <c>____cacheline_aligned</c> (64 bytes on arm64) is ported as a pad to the next multiple of 64 on a struct nothing
/// aligns beyond 8; <c>__aligned(IIO_DMA_MINALIGN)</c> as [DmaAligned] plus a pad to the next multiple of 128. Each port
/// maps its buffers the way the SPI/regmap core does: tx ToDevice, rx FromDevice.
/// </summary>
public sealed record CorpusDriver(
    string Name,
    string Source,
    string Struct,
    IReadOnlyList<string> DeviceWrittenBuffers,
    IReadOnlyList<string> AllBuffers)
{
    public override string ToString() => Name;
}
