using DmaSafe;

namespace DriverSample.Demo;

/// <summary>What one run of the workload did and what went wrong.</summary>
public sealed record WorkloadResult(
    string Layout,
    BouncePolicy Policy,
    int Transfers,
    int Completed,
    long Bounces,
    long BouncedBytes,
    int Faults,
    long SampleBytesCorrupted,
    long CpuBytesLost,
    BounceProfile Profile);
