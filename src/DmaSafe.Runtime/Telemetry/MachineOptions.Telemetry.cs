using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DmaSafe;

// The telemetry settings of a machine: rate-limited bounce reports through ILogger, and the clock they (and the
// bounce profile's first/last-seen times) read. Kept apart from the machine's shape so each concern has one file.
public sealed partial record MachineOptions
{
    /// <summary>
    /// Log a report with the stack trace of the first bounce at each (allocation site, map site), then at most one
    /// report per site every <see cref="BounceReportInterval"/>, each carrying the number of bounces suppressed since
    /// the previous one. Reports go to <see cref="Logger"/>. Default false.
    /// </summary>
    public bool BounceReports { get; init; }

    /// <summary>The shortest time between two bounce reports for one site. Must be positive. Default 60 seconds.</summary>
    public TimeSpan BounceReportInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where bounce reports go when <see cref="BounceReports"/> is on. Default <see cref="NullLogger.Instance"/>.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// The clock of the rate limiter and of the bounce profile's first/last-seen times; tests pass a fake one.
    /// Default <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    private void ValidateTelemetry()
    {
        if (BounceReportInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"BounceReportInterval must be positive, not {BounceReportInterval}.", nameof(BounceReportInterval));
        }

        if (Logger is null)
        {
            throw new ArgumentException("Logger must not be null; use NullLogger.Instance to discard bounce reports.", nameof(Logger));
        }

        if (Clock is null)
        {
            throw new ArgumentException("Clock must not be null; use TimeProvider.System for the real clock.", nameof(Clock));
        }
    }
}
