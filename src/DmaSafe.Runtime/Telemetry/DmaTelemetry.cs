using System.Collections.Generic;

namespace DmaSafe;

/// <summary>
/// The one place the mechanism reports to: the DMA layer calls these hooks, telemetry fans them out to the bounce
/// profile, the fault and violation logs (and, as they grow, the EventSource, the Meter and the rate-limited logger).
/// </summary>
internal sealed class DmaTelemetry
{
    private readonly object _logLock = new();
    private readonly List<CoherencyFault> _faults = new();
    private readonly List<DmaDebugViolation> _violations = new();

    public DmaTelemetry(Machine machine) => Machine = machine;

    public Machine Machine { get; }

    public BounceProfile Profile { get; } = new();

    /// <summary>A streaming mapping was made (bounced or not).</summary>
    public void Mapped(DmaDevice device, nuint size, DmaDirection direction, bool bounced)
    {
    }

    /// <summary>A mapping bounced.</summary>
    public void Bounced(in BounceEvent bounce) => Profile.Record(bounce);

    /// <summary>The swiotlb pool had no room for a mapping of <paramref name="size"/> bytes.</summary>
    public void SwiotlbFull(DmaDevice device, nuint size, int totalSlots, int usedSlots)
    {
    }

    /// <summary>The cache model saw a corruption.</summary>
    public void Fault(CoherencyFault fault)
    {
        lock (_logLock)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>A dma-debug check fired.</summary>
    public void Violation(DmaDebugViolation violation)
    {
        lock (_logLock)
        {
            _violations.Add(violation);
        }
    }

    public IReadOnlyList<CoherencyFault> FaultsSnapshot()
    {
        lock (_logLock)
        {
            return _faults.ToArray();
        }
    }

    public IReadOnlyList<DmaDebugViolation> ViolationsSnapshot()
    {
        lock (_logLock)
        {
            return _violations.ToArray();
        }
    }
}
