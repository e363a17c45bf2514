using System;

namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>
/// What to generate: <see cref="FileCount"/> C# files of which <see cref="DriverUnits"/> pairs (state struct + driver
/// class) hold the <see cref="MappingCount"/> MapSingle call sites, four per driver; the rest is driver-like code that
/// never maps (register maps, frame codecs, state machines, sample rings, options), as in a real driver project.
/// </summary>
internal sealed record DriverProjectSpec(int Seed, int FileCount, int MappingCount)
{
    /// <summary>The benchmark's project: 2,000 files, 1,000 DMA mappings.</summary>
    public static DriverProjectSpec Default { get; } = new(Seed: 20221, FileCount: 2000, MappingCount: 1000);

    public const int MappingsPerDriver = 4;

    public int DriverUnits => MappingCount / MappingsPerDriver;

    public int SupportFiles => FileCount - (2 * DriverUnits);

    /// <summary>Throws when the numbers cannot make a project.</summary>
    public void Validate()
    {
        if (MappingCount <= 0 || MappingCount % MappingsPerDriver != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MappingCount), MappingCount, $"Mapping count must be a positive multiple of {MappingsPerDriver} (each driver maps four times).");
        }

        if (SupportFiles < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(FileCount), FileCount, $"{FileCount} files cannot hold {DriverUnits} drivers of two files each.");
        }
    }
}
