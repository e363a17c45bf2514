using System;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DmaSafe;

/// <summary>
/// Rate-limited bounce reports (<see cref="MachineOptions.BounceReports"/>): the first bounce at each (allocation
/// site, map site) is logged with its stack; later ones are counted until <see cref="MachineOptions.BounceReportInterval"/>
/// has passed on <see cref="MachineOptions.Clock"/>, and the next report says how many were suppressed. A stack is
/// captured only for a report that is actually written.
/// </summary>
internal sealed partial class BounceReporter
{
    private readonly ConcurrentDictionary<BounceProfile.SiteKey, ReportState> _states = new(SiteKeyComparer.Instance);
    private readonly Func<BounceProfile.SiteKey, ReportState> _createState = static _ => new ReportState();
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly long _interval;
    private readonly int _lineSize;

    public BounceReporter(ILogger logger, TimeProvider clock, TimeSpan interval, int lineSize)
    {
        _logger = logger;
        _clock = clock;
        _lineSize = lineSize;

        // The interval in the clock's own timestamp units, so the hot check is one subtraction.
        _interval = (long)Math.Min(long.MaxValue, Math.Ceiling(interval.Ticks * (double)clock.TimestampFrequency / TimeSpan.TicksPerSecond));
    }

    /// <summary>Reports the bounce if its site is due; returns the stack captured for the report, or null when none was written.</summary>
    public string? OnBounce(in BounceEvent bounce)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return null;
        }

        var state = _states.GetOrAdd(new BounceProfile.SiteKey(bounce.AllocationSite, bounce.MapSite), _createState);
        var size = (long)bounce.Size;
        if (!state.TryClaim(_clock.GetTimestamp(), _interval, size, out var suppressedBounces, out var suppressedBytes))
        {
            return null;
        }

        var stack = StackCapture.Capture();
        var allocation = SiteText.Full(bounce.AllocationSite);
        var map = SiteText.Full(bounce.MapSite);
        var direction = bounce.Direction.ToString();
        if (suppressedBounces == 0)
        {
            LogBounce(_logger, bounce.Device.Name, size, direction, bounce.OffsetInLine, _lineSize, allocation, map, stack);
        }
        else
        {
            LogRepeatedBounce(_logger, bounce.Device.Name, size, direction, bounce.OffsetInLine, _lineSize, allocation, map, suppressedBounces, suppressedBytes, stack);
        }

        return stack;
    }

    [LoggerMessage(
        EventId = 1,
        EventName = "DmaBounce",
        Level = LogLevel.Information,
        Message = "DMA bounce on {Device}: {Size} bytes {Direction} at offset {OffsetInLine} of a {LineSize}-byte line; allocated at {AllocationSite}, mapped at {MapSite}.\n{StackTrace}")]
    private static partial void LogBounce(
        ILogger logger, string device, long size, string direction, int offsetInLine, int lineSize, string allocationSite, string mapSite, string stackTrace);

    [LoggerMessage(
        EventId = 2,
        EventName = "DmaBounceRepeated",
        Level = LogLevel.Information,
        Message = "DMA bounce on {Device}: {Size} bytes {Direction} at offset {OffsetInLine} of a {LineSize}-byte line; allocated at {AllocationSite}, mapped at {MapSite}; {SuppressedBounces} more bounces ({SuppressedBytes} bytes) at this site since the last report.\n{StackTrace}")]
    private static partial void LogRepeatedBounce(
        ILogger logger, string device, long size, string direction, int offsetInLine, int lineSize, string allocationSite, string mapSite, long suppressedBounces, long suppressedBytes, string stackTrace);
}
