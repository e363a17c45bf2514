using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DmaSafe.Runtime.Tests.Telemetry;

public sealed class BounceReportTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FirstBounceAtASiteIsReportedWithItsStack()
    {
        var (harness, logger, _) = Create();
        using (harness)
        {
            harness.Telemetry.Bounced(harness.Bounce(size: 40, offsetInLine: 8));

            var entry = Assert.Single(logger.Entries);
            Assert.Equal(LogLevel.Information, entry.Level);
            Assert.Equal(1, entry.EventId.Id);
            Assert.Equal(harness.DeviceName, entry.Values["Device"]);
            Assert.Equal(40L, entry.Values["Size"]);
            Assert.Equal("FromDevice", entry.Values["Direction"]);
            Assert.Equal(8, entry.Values["OffsetInLine"]);
            Assert.Equal(128, entry.Values["LineSize"]);
            Assert.Equal("Probe (/src/Driver/Probe.cs:12)", entry.Values["AllocationSite"]);
            Assert.Equal("Receive (/src/Driver/Rx.cs:40)", entry.Values["MapSite"]);

            // The stack starts at the caller of the hook, not inside the runtime.
            var stack = (string)entry.Values["StackTrace"]!;
            Assert.Contains(nameof(FirstBounceAtASiteIsReportedWithItsStack), stack.Split('\n')[0], StringComparison.Ordinal);
            Assert.DoesNotContain("DmaTelemetry", stack, StringComparison.Ordinal);
            Assert.Contains(stack, entry.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void BouncesWithinTheIntervalAreCountedAndTheNextReportCarriesTheCount()
    {
        var (harness, logger, clock) = Create();
        using (harness)
        {
            harness.Telemetry.Bounced(harness.Bounce(size: 40));
            for (var i = 0; i < 5; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(10));
                harness.Telemetry.Bounced(harness.Bounce(size: 100));
            }

            // 50 s after the first report: still inside the 60 s interval.
            Assert.Single(logger.Entries);

            clock.Advance(TimeSpan.FromSeconds(10));
            harness.Telemetry.Bounced(harness.Bounce(size: 64));

            Assert.Equal(2, logger.Entries.Count);
            var next = logger.Entries[1];
            Assert.Equal(2, next.EventId.Id);
            Assert.Equal(5L, next.Values["SuppressedBounces"]);
            Assert.Equal(500L, next.Values["SuppressedBytes"]);
            Assert.Equal(64L, next.Values["Size"]);
            Assert.Contains("5 more bounces (500 bytes) at this site since the last report", next.Message, StringComparison.Ordinal);

            // The interval restarts at the report: one second later is suppressed again, and counted from zero.
            clock.Advance(TimeSpan.FromSeconds(1));
            harness.Telemetry.Bounced(harness.Bounce(size: 8));
            Assert.Equal(2, logger.Entries.Count);
            clock.Advance(TimeSpan.FromSeconds(60));
            harness.Telemetry.Bounced(harness.Bounce(size: 8));
            Assert.Equal(1L, logger.Entries[2].Values["SuppressedBounces"]);
        }
    }

    [Fact]
    public void AReportIsDueExactlyWhenTheIntervalHasPassed()
    {
        var (harness, logger, clock) = Create(TimeSpan.FromSeconds(5));
        using (harness)
        {
            harness.Telemetry.Bounced(harness.Bounce());
            clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
            harness.Telemetry.Bounced(harness.Bounce());
            Assert.Single(logger.Entries);

            clock.Advance(TimeSpan.FromTicks(1));
            harness.Telemetry.Bounced(harness.Bounce());
            Assert.Equal(2, logger.Entries.Count);
            Assert.Equal(1L, logger.Entries[1].Values["SuppressedBounces"]);
        }
    }

    [Fact]
    public void SitesAreRateLimitedIndependently()
    {
        var (harness, logger, clock) = Create();
        using (harness)
        {
            var otherMap = new SourceSite("Transmit", "/src/Driver/Tx.cs", 77);
            var otherAllocation = new SourceSite("Setup", "/src/Driver/Probe.cs", 30);
            harness.Telemetry.Bounced(harness.Bounce());
            harness.Telemetry.Bounced(harness.Bounce());
            clock.Advance(TimeSpan.FromSeconds(30));
            harness.Telemetry.Bounced(harness.Bounce(map: otherMap));
            harness.Telemetry.Bounced(harness.Bounce(allocation: otherAllocation));
            harness.Telemetry.Bounced(harness.Bounce(map: otherMap));

            Assert.Equal(3, logger.Entries.Count);
            Assert.Equal(new[] { "Receive (/src/Driver/Rx.cs:40)", "Transmit (/src/Driver/Tx.cs:77)", "Receive (/src/Driver/Rx.cs:40)" }, logger.Entries.Select(entry => entry.Values["MapSite"]));
            Assert.Equal("Setup (/src/Driver/Probe.cs:30)", logger.Entries[2].Values["AllocationSite"]);

            // 60 s after the first site's report it is due again; the second site (reported at 30 s) is not.
            clock.Advance(TimeSpan.FromSeconds(30));
            harness.Telemetry.Bounced(harness.Bounce());
            harness.Telemetry.Bounced(harness.Bounce(map: otherMap));
            Assert.Equal(4, logger.Entries.Count);
            Assert.Equal(1L, logger.Entries[3].Values["SuppressedBounces"]);
        }
    }

    [Fact]
    public void ConcurrentBouncesAtOneSiteGiveOneReportAndLoseNoCount()
    {
        var (harness, logger, clock) = Create();
        using (harness)
        {
            const int Bounces = 4000;
            Parallel.For(0, Bounces, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => harness.Telemetry.Bounced(harness.Bounce(size: 3)));
            Assert.Single(logger.Entries);

            clock.Advance(TimeSpan.FromMinutes(1));
            harness.Telemetry.Bounced(harness.Bounce(size: 3));
            Assert.Equal((long)(Bounces - 1), logger.Entries[1].Values["SuppressedBounces"]);
            Assert.Equal(3L * (Bounces - 1), logger.Entries[1].Values["SuppressedBytes"]);
        }
    }

    [Fact]
    public void ReportsAreOffByDefault()
    {
        var logger = new CollectingLogger();
        using var harness = new TelemetryHarness(new MachineOptions { Logger = logger });
        harness.Telemetry.Bounced(harness.Bounce());
        Assert.Empty(logger.Entries);
        Assert.Equal(1, harness.Machine.Bounces.TotalBounces);
    }

    [Fact]
    public void ALoggerThatFiltersInformationOutGetsNothing()
    {
        var logger = new CollectingLogger(LogLevel.Warning);
        using var harness = new TelemetryHarness(new MachineOptions { BounceReports = true, Logger = logger });
        harness.Telemetry.Bounced(harness.Bounce());
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void TheFirstReportedStackBecomesTheSitesExampleStack()
    {
        var (harness, logger, _) = Create();
        using (harness)
        {
            harness.Telemetry.Bounced(harness.Bounce());
            var site = Assert.Single(harness.Machine.Bounces.Sites);
            Assert.Equal(logger.Entries[0].Values["StackTrace"], site.ExampleStack);
        }
    }

    [Fact]
    public void WithoutReportsOrStackCaptureNoExampleStackIsTaken()
    {
        using var harness = new TelemetryHarness();
        harness.Telemetry.Bounced(harness.Bounce());
        Assert.Null(Assert.Single(harness.Machine.Bounces.Sites).ExampleStack);
    }

    [Fact]
    public void CaptureStackTracesRecordsOneExampleStackPerSite()
    {
        using var harness = new TelemetryHarness(new MachineOptions { CaptureStackTraces = true });
        harness.Telemetry.Bounced(harness.Bounce());
        harness.Telemetry.Bounced(harness.Bounce());
        var stack = Assert.Single(harness.Machine.Bounces.Sites).ExampleStack;
        Assert.NotNull(stack);
        Assert.Contains(nameof(CaptureStackTracesRecordsOneExampleStackPerSite), stack, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemsGoToTheLoggerUnthrottled()
    {
        var logger = new CollectingLogger();
        using var harness = new TelemetryHarness(new MachineOptions { Logger = logger });
        harness.Telemetry.SwiotlbFull(harness.Device, 4096, 32, 31);
        harness.Telemetry.SwiotlbFull(harness.Device, 4096, 32, 31);
        var fault = new CoherencyFault(CoherencyFaultKind.DeviceDataOverwritten, harness.DeviceName, 0x2000, 0x2040, 8, "unmap", []);
        harness.Telemetry.Fault(fault);

        Assert.Equal(new[] { 3, 3, 4 }, logger.Entries.Select(entry => entry.EventId.Id));
        Assert.Equal(LogLevel.Warning, logger.Entries[0].Level);
        Assert.Contains("software IO TLB: " + harness.DeviceName + ": no room for a 4096-byte mapping [total slots=32] [used slots=31]", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, logger.Entries[2].Level);
        Assert.Equal(fault.ToString(), logger.Entries[2].Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ANonPositiveIntervalIsRejected(int seconds)
    {
        var error = Assert.Throws<ArgumentException>(() => new Machine(new MachineOptions { BounceReportInterval = TimeSpan.FromSeconds(seconds), MemoryBytes = 1L << 20 }));
        Assert.Contains("BounceReportInterval must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANullLoggerOrClockIsRejected()
    {
        Assert.Contains("Logger must not be null", Assert.Throws<ArgumentException>(() => new Machine(new MachineOptions { Logger = null! })).Message, StringComparison.Ordinal);
        Assert.Contains("Clock must not be null", Assert.Throws<ArgumentException>(() => new Machine(new MachineOptions { Clock = null! })).Message, StringComparison.Ordinal);
    }

    private static (TelemetryHarness Harness, CollectingLogger Logger, ManualClock Clock) Create(TimeSpan? interval = null)
    {
        var logger = new CollectingLogger();
        var clock = new ManualClock(Start);
        var options = new MachineOptions { BounceReports = true, Logger = logger, Clock = clock, BounceReportInterval = interval ?? TimeSpan.FromSeconds(60) };
        return (new TelemetryHarness(options), logger, clock);
    }
}
