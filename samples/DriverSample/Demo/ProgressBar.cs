using System;

namespace DriverSample.Demo;

/// <summary>A one-line progress indicator on stderr, shown only on an interactive terminal so logs stay clean.</summary>
public sealed class ProgressBar
{
    private readonly long _total;
    private readonly bool _enabled;
    private long _done;

    public ProgressBar(long total)
    {
        _total = Math.Max(1, total);
        _enabled = !Console.IsErrorRedirected && total >= 20_000;
    }

    public void Advance(long by)
    {
        _done += by;
        if (!_enabled)
        {
            return;
        }

        var filled = (int)(30 * Math.Min(_done, _total) / _total);
        Console.Error.Write($"\r[{new string('#', filled)}{new string(' ', 30 - filled)}] {100 * Math.Min(_done, _total) / _total,3}%");
    }

    public void Finish()
    {
        if (_enabled)
        {
            Console.Error.Write("\r" + new string(' ', 40) + "\r");
        }
    }
}
