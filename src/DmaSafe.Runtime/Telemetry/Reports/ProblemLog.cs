using Microsoft.Extensions.Logging;

namespace DmaSafe;

/// <summary>
/// The rare events that are problems rather than statistics (pool exhausted, data corrupted, API misused) go to
/// <see cref="MachineOptions.Logger"/> as well, unthrottled: each one is worth reading.
/// </summary>
internal static partial class ProblemLog
{
    [LoggerMessage(
        EventId = 3,
        EventName = "SwiotlbFull",
        Level = LogLevel.Warning,
        Message = "software IO TLB: {Device}: no room for a {Size}-byte mapping [total slots={TotalSlots}] [used slots={UsedSlots}]")]
    public static partial void SwiotlbFull(ILogger logger, string device, long size, int totalSlots, int usedSlots);

    [LoggerMessage(EventId = 4, EventName = "CoherencyFault", Level = LogLevel.Error, Message = "{Fault}")]
    public static partial void CoherencyFault(ILogger logger, CoherencyFault fault);

    [LoggerMessage(EventId = 5, EventName = "DmaDebugViolation", Level = LogLevel.Warning, Message = "{Violation}")]
    public static partial void DmaDebugViolation(ILogger logger, DmaDebugViolation violation);
}
