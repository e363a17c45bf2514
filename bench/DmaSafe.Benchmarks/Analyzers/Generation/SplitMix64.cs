namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>
/// The generator's source of choices: SplitMix64, so one seed gives the same project on every .NET version and machine
/// (System.Random's seeded sequence is not a documented contract).
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="exclusiveMax"/>).</summary>
    public int Below(int exclusiveMax) => (int)(Next() % (ulong)exclusiveMax);

    /// <summary>True with probability <paramref name="numerator"/>/<paramref name="denominator"/>.</summary>
    public bool Chance(int numerator, int denominator) => Below(denominator) < numerator;

    /// <summary>One of <paramref name="choices"/>.</summary>
    public T Pick<T>(params T[] choices) => choices[Below(choices.Length)];
}
