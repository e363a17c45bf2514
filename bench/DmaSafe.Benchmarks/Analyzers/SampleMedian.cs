using System.Collections.Generic;
using System.Linq;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>The median of a run's samples (the middle value, or the mean of the middle two).</summary>
internal static class SampleMedian
{
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
