using System;
using System.Threading;
using Xunit;

namespace DmaSafe.Runtime.Tests.Telemetry;

/// <summary>The shared tick count bounce times come from: never ahead of the clock, and it keeps up while read.</summary>
public sealed class CoarseClockTests
{
    [Fact]
    public void NeverRunsAheadOfTheClockAndCatchesUpWithItWhileRead()
    {
        for (var read = 0; read < 1000; read++)
        {
            var coarse = CoarseClock.TickCount64;
            Assert.True(coarse > 0, "the coarse clock gave 0, which it uses to mean 'not running'");
            Assert.True(coarse <= Environment.TickCount64, "the coarse clock ran ahead of the tick count it copies");
        }

        // Whatever the machine's load, a later read reaches a tick count taken now: the refresher is running.
        var target = Environment.TickCount64 + 5;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (CoarseClock.TickCount64 < target)
        {
            Assert.True(DateTime.UtcNow < deadline, "the coarse clock stopped advancing while it was being read");
            Thread.Sleep(1);
        }
    }
}
