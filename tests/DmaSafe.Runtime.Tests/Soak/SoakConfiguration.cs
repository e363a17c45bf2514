using System;

namespace DmaSafe.Runtime.Tests.Soak;

/// <summary>
/// One soak machine: its bounce and eviction policies, how many threads hammer it, and whether the run must be
/// byte-exact (only the Alignment and Always policies promise that; KmallocSize and Never lose bytes by design).
/// </summary>
internal sealed record SoakConfiguration(BouncePolicy Policy, EvictionPolicy Eviction, int Threads, int Seed)
{
    /// <summary>Bounce pool of 16 slots (32 KiB): small enough that concurrent bounced mappings exhaust it.</summary>
    public const long SwiotlbBytes = 16 * 2048;

    /// <summary>Seconds per machine: <c>DMASAFE_SOAK_SECONDS</c>, else a CI-sized default.</summary>
    public static double Seconds =>
        double.TryParse(Environment.GetEnvironmentVariable("DMASAFE_SOAK_SECONDS"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : 1.5;

    /// <summary>Base seed: <c>DMASAFE_SOAK_SEED</c> to replay a reported run, else fixed.</summary>
    public static int BaseSeed =>
        int.TryParse(Environment.GetEnvironmentVariable("DMASAFE_SOAK_SEED"), out var seed) ? seed : 20261125;

    public bool ByteExact => Policy is BouncePolicy.Alignment or BouncePolicy.Always;

    public MachineOptions Options => new()
    {
        BouncePolicy = Policy,
        Eviction = Eviction,
        Seed = Seed,
        MemoryBytes = 16L << 20,
        SwiotlbBytes = SwiotlbBytes,
        OnDebugViolation = DebugViolationAction.Record,
    };

    public override string ToString() => $"{Policy}/{Eviction}, {Threads} threads, seed {Seed}";
}
