using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace DmaSafe.Benchmarks.Threading;

/// <summary>
/// Runs the same work on the calling thread and on one dedicated thread at the same moment, and returns when both are
/// done. The second thread is started once and spins between runs, so a run measures the work, not a thread-pool
/// wake-up: with <c>Parallel.For(0, 2, …)</c> a millisecond of work per thread was often finished by the caller
/// alone before a pool thread woke up, so "two threads" measured one thread doing twice the work, now and then.
/// </summary>
internal sealed class TwoThreadRunner : IDisposable
{
    private readonly Thread _thread;
    private Action? _work;
    private ExceptionDispatchInfo? _failure;
    private int _started;
    private int _finished;
    private volatile bool _stopping;

    public TwoThreadRunner()
    {
        _thread = new Thread(Serve) { IsBackground = true, Name = "benchmark second thread" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on both threads; rethrows what the second thread threw.</summary>
    public void Run(Action work)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _work = work;
        var generation = Interlocked.Increment(ref _started); // a full fence: the second thread sees _work
        work();
        var spin = new SpinWait();
        while (Volatile.Read(ref _finished) != generation)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (Interlocked.Exchange(ref _failure, null) is { } failure)
        {
            failure.Throw();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Serve()
    {
        var seen = 0;
        while (true)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _started) == seen)
            {
                if (_stopping)
                {
                    return;
                }

                spin.SpinOnce(sleep1Threshold: -1);
            }

            seen = Volatile.Read(ref _started);
            try
            {
                _work!();
            }
            catch (Exception exception)
            {
                _failure = ExceptionDispatchInfo.Capture(exception);
            }

            Volatile.Write(ref _finished, seen);
        }
    }
}
