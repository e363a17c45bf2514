using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace DmaSafe;

/// <summary>
/// The one place the mechanism reports to: the DMA layer calls these hooks, telemetry fans them out to the bounce
/// profile, the fault and violation logs, the <c>DmaSafe</c> Meter and EventSource, and the rate-limited logger.
/// Every hook is thread-safe; with no listener attached the Meter and EventSource cost one flag test each.
/// </summary>
internal sealed class DmaTelemetry
{
    private static long s_lastMachineId;

    private readonly object _logLock = new();
    private readonly List<CoherencyFault> _faults = new();
    private readonly List<DmaDebugViolation> _violations = new();
    private readonly TimeProvider _clock;
    private readonly bool _coarseSystemClock;
    private readonly long _anchorUtcTicks;
    private readonly long _anchorTickCount;
    private readonly ILogger _logger;
    private readonly BounceReporter? _reporter;
    private readonly bool _captureExampleStacks;
    private Func<long>? _swiotlbSlotsInUse;

    public DmaTelemetry(Machine machine)
    {
        Machine = machine;
        var options = machine.Options;
        MachineId = Interlocked.Increment(ref s_lastMachineId);
        Profile = new BounceProfile(options.DmaMinAlign);
        _clock = options.Clock;

        // With the real clock, a bounce's time comes from the coarse monotonic tick anchored to wall time here:
        // a shared copy refreshed every millisecond (CoarseClock) instead of a clock read per bounce, at millisecond
        // resolution (ample for first and last seen). Any other clock (a test's fake) is asked every time.
        _coarseSystemClock = ReferenceEquals(_clock, TimeProvider.System);
        _anchorTickCount = Environment.TickCount64;
        _anchorUtcTicks = _clock.GetUtcNow().UtcTicks;
        _logger = options.Logger;
        _captureExampleStacks = options.CaptureStackTraces;
        _reporter = options.BounceReports ? new BounceReporter(options.Logger, options.Clock, options.BounceReportInterval, options.DmaMinAlign) : null;
        DmaMetrics.Register(this);
    }

    public Machine Machine { get; }

    /// <summary>A process-unique number for the machine: the <c>machine</c> tag of its pool gauge.</summary>
    public long MachineId { get; }

    public BounceProfile Profile { get; }

    /// <summary>
    /// How many swiotlb slots hold bounced data right now: the DMA layer assigns a reader of its pool once it has one;
    /// the <c>dmasafe.swiotlb.slots_in_use</c> gauge calls it whenever a collector observes (from any thread).
    /// </summary>
    public Func<long>? SwiotlbSlotsInUse
    {
        get => Volatile.Read(ref _swiotlbSlotsInUse);
        set => Volatile.Write(ref _swiotlbSlotsInUse, value);
    }

    /// <summary>A streaming mapping was made (bounced or not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Mapped(DmaDevice device, nuint size, DmaDirection direction, bool bounced) =>
        DmaMetrics.RecordMapping(device, direction);

    /// <summary>A mapping bounced.</summary>
    public void Bounced(in BounceEvent bounce)
    {
        var site = Profile.Record(bounce, NowUtcTicks());
        if (_captureExampleStacks && site.TryClaimExampleStack())
        {
            site.TrySetExampleStack(StackCapture.Capture());
        }

        DmaMetrics.RecordBounce(bounce.Device, bounce.Direction, (long)bounce.Size);
        var events = DmaEventSource.Log;
        if (events.IsEnabled() && events.IsEnabled(EventLevel.Informational, DmaEventSource.Keywords.Bounce))
        {
            events.Bounce(
                bounce.Device.Name,
                (long)bounce.Size,
                DmaMetrics.DirectionName(bounce.Direction),
                bounce.OffsetInLine,
                bounce.AllocationSite.Member,
                bounce.AllocationSite.FilePath,
                bounce.AllocationSite.Line,
                bounce.MapSite.Member,
                bounce.MapSite.FilePath,
                bounce.MapSite.Line);
        }

        if (_reporter?.OnBounce(bounce) is { } reportedStack)
        {
            site.TrySetExampleStack(reportedStack);
        }
    }

    /// <summary>The swiotlb pool had no room for a mapping of <paramref name="size"/> bytes.</summary>
    public void SwiotlbFull(DmaDevice device, nuint size, int totalSlots, int usedSlots)
    {
        DmaMetrics.RecordSwiotlbFull(device);
        var events = DmaEventSource.Log;
        if (events.IsEnabled() && events.IsEnabled(EventLevel.Warning, DmaEventSource.Keywords.Swiotlb))
        {
            events.SwiotlbFull(device.Name, (long)size, totalSlots, usedSlots);
        }

        ProblemLog.SwiotlbFull(_logger, device.Name, (long)size, totalSlots, usedSlots);
    }

    /// <summary>The cache model saw a corruption.</summary>
    public void Fault(CoherencyFault fault)
    {
        lock (_logLock)
        {
            _faults.Add(fault);
        }

        DmaMetrics.RecordFault(fault);
        var events = DmaEventSource.Log;
        if (events.IsEnabled() && events.IsEnabled(EventLevel.Error, DmaEventSource.Keywords.Coherency))
        {
            events.CoherencyFault(
                fault.Kind.ToString(),
                fault.Device,
                (ulong)fault.CacheLine,
                (ulong)fault.Address,
                fault.Length,
                fault.Cause,
                fault.Owners.Count == 0 ? "no allocation" : string.Join("; ", fault.Owners));
        }

        ProblemLog.CoherencyFault(_logger, fault);
    }

    /// <summary>A dma-debug check fired.</summary>
    public void Violation(DmaDebugViolation violation)
    {
        lock (_logLock)
        {
            _violations.Add(violation);
        }

        DmaMetrics.RecordViolation(violation);
        var events = DmaEventSource.Log;
        if (events.IsEnabled() && events.IsEnabled(EventLevel.Error, DmaEventSource.Keywords.DmaDebug))
        {
            events.DmaDebugViolation(violation.Check, violation.Device, violation.Message, violation.MapSite is null ? string.Empty : SiteText.Full(violation.MapSite));
        }

        ProblemLog.DmaDebugViolation(_logger, violation);
    }

    private long NowUtcTicks() =>
        _coarseSystemClock
            ? _anchorUtcTicks + ((CoarseClock.TickCount64 - _anchorTickCount) * TimeSpan.TicksPerMillisecond)
            : _clock.GetUtcNow().UtcTicks;

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
