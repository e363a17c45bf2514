using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DmaSafe;

/// <summary>
/// The machine's DMA lock: one compare-exchange to enter and one plain (release) store to leave.
/// </summary>
/// <remarks>
/// Every map and every unmap takes it once, so its cost is paid twice per mapping. A <c>System.Threading.Lock</c>
/// (or a monitor) also reads the current thread's id to own the lock and re-enters; on this runtime that read
/// and the interlocked release cost about 4 ns per enter and exit, which is a tenth of a non-coherent 4 KiB
/// map+unmap's fixed cost. The DMA layer needs neither: it never takes the lock again while holding it (the
/// Debug build checks that, tests run it), and every critical section is short (bookkeeping and the copies of
/// one call: a bounce is at most 256 KiB). A contended enter spins, then yields its time slice, so a waiter takes the
/// lock soon after it is free without burning a core while the holder is descheduled; only a wait far longer
/// than any DMA call (a slow logger inside the lock) falls back to sleeping a millisecond between tries. Not
/// fair: a thread that releases and re-enters at once may go first, as with <c>Lock</c>.
/// <para>Telemetry hooks run inside the lock: a logger, <c>EventListener</c> or <c>MeterListener</c> must not call
/// the DMA API back on the same thread (it would wait for itself; the Debug build throws instead).</para>
/// </remarks>
internal sealed class DmaLock
{
    /// <summary>Spins and yields before a contended enter starts sleeping between tries (SpinWait's count).</summary>
    private const int SpinsBeforeSleeping = 100;

    private int _held;

#if DEBUG
    private int _ownerThread;
#endif

    /// <summary>Takes the lock until the scope is disposed: <c>using (machine.DmaLock.EnterScope()) { … }</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Scope EnterScope()
    {
        Enter();
        return new Scope(this);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter()
    {
#if DEBUG
        if (Volatile.Read(ref _ownerThread) == Environment.CurrentManagedThreadId)
        {
            throw new LockRecursionException("The machine's DMA lock was entered again by the thread holding it: a DMA call from inside a DMA call (a telemetry callback?).");
        }
#endif
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            EnterContended();
        }

#if DEBUG
        Volatile.Write(ref _ownerThread, Environment.CurrentManagedThreadId);
#endif
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit()
    {
#if DEBUG
        Debug.Assert(Volatile.Read(ref _held) == 1, "DMA lock released while not held");
        Volatile.Write(ref _ownerThread, 0);
#endif
        Volatile.Write(ref _held, 0); // a release store: everything written inside is visible to the next holder
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterContended()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce(SpinsBeforeSleeping);
        }
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    /// <summary>Holds the lock until disposed.</summary>
    public readonly ref struct Scope
    {
        private readonly DmaLock _lock;

        internal Scope(DmaLock owner) => _lock = owner;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Dispose() => _lock.Exit();
    }
}
