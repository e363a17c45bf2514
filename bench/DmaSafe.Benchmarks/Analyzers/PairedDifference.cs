using System;
using System.Collections.Generic;
using System.Linq;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The difference between two variants timed in the same rounds, round by round: the median of the per-round
/// differences and a distribution-free confidence interval for it (the sign test's order statistics). Pairing takes
/// out what drifts between rounds (other load, the heap, the JIT), which the difference of two separate medians keeps.
/// </summary>
internal readonly record struct PairedDifference(double Median, double Low, double High, double Coverage, int Rounds)
{
    /// <summary>Per-round <paramref name="variant"/> minus <paramref name="baseline"/>; both lists hold one value per round.</summary>
    public static PairedDifference Of(IReadOnlyList<double> variant, IReadOnlyList<double> baseline)
    {
        if (variant.Count != baseline.Count || variant.Count == 0)
        {
            throw new ArgumentException($"Paired samples need the same non-zero number of rounds (got {variant.Count} and {baseline.Count}).");
        }

        var differences = variant.Zip(baseline, (v, b) => v - b).OrderBy(d => d).ToArray();
        var n = differences.Length;
        var median = n % 2 == 1 ? differences[n / 2] : (differences[(n / 2) - 1] + differences[n / 2]) / 2;

        // The widest k with P(Binomial(n, 1/2) < k) <= 2.5% on each side; [d(k), d(n-k+1)] then covers the median with
        // probability 1 - 2 P(X < k). Below 6 rounds no such k exists and the interval is the whole range.
        var k = 0;
        var tail = 0.0;
        while (k < n / 2)
        {
            var next = tail + BinomialHalf(n, k);
            if (next > 0.025)
            {
                break;
            }

            tail = next;
            k++;
        }

        return k == 0
            ? new PairedDifference(median, differences[0], differences[n - 1], 1 - (2 * Math.Pow(0.5, n)), n)
            : new PairedDifference(median, differences[k - 1], differences[n - k], 1 - (2 * tail), n);
    }

    /// <summary>P(X = k) for X ~ Binomial(n, 1/2).</summary>
    private static double BinomialHalf(int n, int k)
    {
        var choose = 1.0;
        for (var i = 1; i <= k; i++)
        {
            choose = choose * (n - k + i) / i;
        }

        return choose * Math.Pow(0.5, n);
    }
}
