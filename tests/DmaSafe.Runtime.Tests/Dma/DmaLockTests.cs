using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>The machine's DMA lock: mutual exclusion under contention, release on exceptions, and no re-entry.</summary>
public sealed class DmaLockTests
{
    [Fact]
    public void ThreadsContendingForTheLockNeverOverlapAndLoseNoUpdate()
    {
        var dmaLock = new DmaLock();
        const int Threads = 4; // more than the CI box's two cores: holders get descheduled inside the lock
        const int Rounds = 50_000;
        long counter = 0;
        var inside = 0;
        var overlaps = 0;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                using (dmaLock.EnterScope())
                {
                    if (Interlocked.Increment(ref inside) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    counter++; // a plain read-modify-write: only the lock keeps it exact
                    Interlocked.Decrement(ref inside);
                }
            }
        });

        Assert.Equal(0, overlaps);
        Assert.Equal((long)Threads * Rounds, counter);
    }

    [Fact]
    public void AnExceptionInsideTheScopeReleasesTheLock()
    {
        var dmaLock = new DmaLock();
        Action throwInside = () =>
        {
            using (dmaLock.EnterScope())
            {
                throw new DmaApiMisuseException(new DmaDebugViolation("test", "dev", "thrown inside the lock", null, null));
            }
        };
        Assert.Throws<DmaApiMisuseException>(throwInside);

        Assert.True(RunsOnAnotherThread(() => dmaLock.EnterScope().Dispose()), "the lock stayed held after an exception left its scope");
    }

    [Fact]
    public void AViolationThrownInsideADmaCallLeavesTheMachineUsableFromAnotherThread()
    {
        using var machine = TestMachines.Create();
        var device = machine.AddDevice("eth0");
        Assert.Throws<DmaApiMisuseException>(() => device.UnmapSingle(new DmaAddress(0x8000_1000), 64, DmaDirection.FromDevice));

        Assert.True(RunsOnAnotherThread(() => MapAndUnmapOnce(machine, device)), "the DMA lock stayed held after dma-debug threw");
    }

    [Fact]
    public void EnteringAgainOnTheHoldingThreadIsRefusedInsteadOfWaitingForever()
    {
        var dmaLock = new DmaLock();
        using (dmaLock.EnterScope())
        {
            var error = Assert.Throws<LockRecursionException>(() => dmaLock.Enter());
            Assert.Contains("entered again by the thread holding it", error.Message, StringComparison.Ordinal);
        }

        using (dmaLock.EnterScope())
        {
            // Still usable: the refused entry changed nothing.
        }
    }

    /// <summary>Runs <paramref name="action"/> on a thread of its own; false when it has not finished within a generous minute.</summary>
    private static bool RunsOnAnotherThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception error)
            {
                failure = error;
            }
        })
        { IsBackground = true };
        thread.Start();
        var finished = thread.Join(TimeSpan.FromMinutes(1));
        Assert.Null(failure);
        return finished;
    }

    private static unsafe void MapAndUnmapOnce(Machine machine, DmaDevice device)
    {
        var buffer = machine.Kmalloc(256);
        var handle = device.MapSingle(buffer, 256, DmaDirection.ToDevice);
        Assert.False(device.MappingError(handle));
        device.UnmapSingle(handle, 256, DmaDirection.ToDevice);
        machine.Kfree(buffer);
    }
}
