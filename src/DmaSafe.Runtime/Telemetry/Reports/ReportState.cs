namespace DmaSafe;

/// <summary>
/// The rate limiter of one site: when it last reported and what it has suppressed since. A lock per site (not per
/// machine) keeps sites independent; the state is only touched when reports are on, the debug mode.
/// </summary>
internal sealed class ReportState
{
    private readonly object _gate = new();
    private bool _reported;
    private long _lastReport;
    private long _suppressedBounces;
    private long _suppressedBytes;

    /// <summary>
    /// Decides whether the bounce at <paramref name="now"/> gets a report. When it does, returns the bounces and bytes
    /// suppressed since the previous report and restarts the interval; when not, counts the bounce as suppressed.
    /// </summary>
    public bool TryClaim(long now, long interval, long bytes, out long suppressedBounces, out long suppressedBytes)
    {
        lock (_gate)
        {
            if (_reported && now - _lastReport < interval)
            {
                _suppressedBounces++;
                _suppressedBytes += bytes;
                suppressedBounces = 0;
                suppressedBytes = 0;
                return false;
            }

            suppressedBounces = _suppressedBounces;
            suppressedBytes = _suppressedBytes;
            _suppressedBounces = 0;
            _suppressedBytes = 0;
            _lastReport = now;
            _reported = true;
            return true;
        }
    }
}
