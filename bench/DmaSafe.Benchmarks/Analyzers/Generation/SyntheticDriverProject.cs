using System.Collections.Generic;

namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>
/// Generates the benchmark's driver-like project from a <see cref="DriverProjectSpec"/>: the same seed always gives
/// the same files, byte for byte.
/// </summary>
internal static class SyntheticDriverProject
{
    public static GeneratedProject Generate(DriverProjectSpec spec)
    {
        spec.Validate();
        var random = new SplitMix64((ulong)spec.Seed);
        var files = new List<GeneratedFile>(spec.FileCount);
        var sites = new List<ProfiledSite>();
        var expected = new SortedDictionary<string, int>(System.StringComparer.Ordinal);
        for (var i = 0; i < spec.DriverUnits; i++)
        {
            var unit = DriverUnitChoices.Draw(i, random);
            var (state, driver, site) = DriverUnitWriter.Write(unit, random, expected);
            files.Add(state);
            files.Add(driver);
            if (site is not null)
            {
                sites.Add(site);
            }
        }

        for (var i = 0; i < spec.SupportFiles; i++)
        {
            files.Add(SupportFileWriter.Write(i, random));
        }

        return new GeneratedProject(
            spec,
            files,
            BounceProfileWriter.Write(sites),
            spec.DriverUnits * DriverProjectSpec.MappingsPerDriver,
            expected);
    }
}
