using System;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// <see cref="Environment.TickCount64"/> as the bounce hook needs it (first and last seen, to the millisecond): a
/// read of a shared copy instead of a clock call, which costs 7-10 ns on a VM, a tenth of a bounce's fixed cost.
/// </summary>
/// <remarks>
/// One background thread refreshes the copy every millisecond while the time is being read and exits after a
/// second without a read. A read that finds no refresher running asks the clock itself and starts one, so a
/// value is never older than a refresh period plus the refresher's scheduling delay. Values from different threads
/// may disagree by that much; first and last seen take the minimum and maximum, so nothing depends on order.
/// </remarks>
internal static class CoarseClock
{
    private const int RefreshMilliseconds = 1;
    private const int IdleRefreshesBeforeExit = 1000;

    // The latest refresh, or 0 while no refresher runs (the tick count, milliseconds since boot, is never 0 here).
    private static long s_ticks;

    // Set by readers, cleared by each refresh: someone still reads the clock, keep refreshing.
    private static int s_read;

    // 1 from the start of a refresher thread until it has exited its loop.
    private static int s_running;

    /// <summary>Milliseconds since boot, at most about a millisecond old.</summary>
    public static long TickCount64
    {
        get
        {
            var ticks = Volatile.Read(ref s_ticks);
            if (ticks == 0)
            {
                return ReadAndStartRefresher();
            }

            if (Volatile.Read(ref s_read) == 0)
            {
                Volatile.Write(ref s_read, 1); // written once per refresh period, not per read: no cache-line ping-pong
            }

            return ticks;
        }
    }

    private static long ReadAndStartRefresher()
    {
        var now = Environment.TickCount64;
        if (Interlocked.CompareExchange(ref s_running, 1, 0) == 0)
        {
            Volatile.Write(ref s_read, 1);
            Volatile.Write(ref s_ticks, now);
            try
            {
                new Thread(Refresh) { IsBackground = true, Name = "DmaSafe coarse clock" }.Start();
            }
            catch (Exception error) when (error is PlatformNotSupportedException or ThreadStartException or OutOfMemoryException)
            {
                // No thread to refresh the copy: every read asks the clock (s_running stays set, so none tries again).
                Volatile.Write(ref s_ticks, 0);
            }
        }

        return now; // a refresher is running or exiting: this read pays for the clock once more
    }

    private static void Refresh()
    {
        var idle = 0;
        while (true)
        {
            Thread.Sleep(RefreshMilliseconds);
            Volatile.Write(ref s_ticks, Environment.TickCount64);
            if (Interlocked.Exchange(ref s_read, 0) != 0)
            {
                idle = 0;
                continue;
            }

            if (++idle < IdleRefreshesBeforeExit)
            {
                continue;
            }

            // Readers see 0 from here on and read the clock themselves until one starts the next refresher, which
            // it can only do once this one is out of the loop.
            Volatile.Write(ref s_ticks, 0);
            Volatile.Write(ref s_running, 0);
            return;
        }
    }
}
