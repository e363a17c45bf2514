using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
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
/// map+unmap's fixed cost. The DMA layer needs neither: it never takes the lock again while holding it (a re-entry
/// throws instead of waiting for itself; tests run it), and every critical section is short (bookkeeping and the copies of
/// one call: a bounce is at most 256 KiB). A contended enter spins, then yields its time slice, so a waiter takes the
/// lock soon after it is free without burning a core while the holder is descheduled; only a wait far longer
/// than any DMA call (a slow logger inside the lock) falls back to sleeping a millisecond between tries. Not
/// fair: a thread that releases and re-enters at once may go first, as with <c>Lock</c>.
/// <para>Telemetry hooks run inside the lock: a logger, <c>EventListener</c> or <c>MeterListener</c> must not call
/// the DMA API back on the same thread (it gets a <see cref="LockRecursionException"/>).</para>
/// </remarks>
internal sealed class DmaLock
{
    /// <summary>Spins and yields before a contended enter starts sleeping between tries (SpinWait's count).</summary>
    private const int SpinsBeforeSleeping = 100;

    private int _held;

    // The holder's managed thread id, 0 while free. Written only by the thread that holds the lock (after taking it,
    // and back to 0 before leaving), so a thread that reads its own id here holds the lock: that is a re-entry, which
    // would otherwise wait for itself forever. Read only on the contended path, so an uncontended enter pays one store
    // and the thread-id read.
    private int _owner;

    /// <summary>Takes the lock until the scope is disposed: <c>using (machine.DmaLock.EnterScope()) { … }</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Scope EnterScope()
    {
        Enter();
        return new Scope(this);
    }

    /// <exception cref="LockRecursionException">The calling thread already holds the lock (a DMA call from inside a DMA call).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            EnterContended();
        }

        _owner = Environment.CurrentManagedThreadId;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit()
    {
        Debug.Assert(Volatile.Read(ref _held) == 1, "DMA lock released while not held");
        _owner = 0;
        Volatile.Write(ref _held, 0); // a release store: everything written inside (the owner's reset too) is visible to the next holder
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterContended()
    {
        if (Volatile.Read(ref _owner) == Environment.CurrentManagedThreadId)
        {
            ThrowReentered();
        }

        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce(SpinsBeforeSleeping);
        }
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    [DoesNotReturn]
    private static void ThrowReentered() =>
        throw new LockRecursionException("The machine's DMA lock was entered again by the thread holding it: a DMA call from inside a DMA call (a logger, EventListener or MeterListener callback calling the DMA API?).");

    /// <summary>Holds the lock until disposed.</summary>
    public readonly ref struct Scope
    {
        private readonly DmaLock _lock;

        internal Scope(DmaLock owner) => _lock = owner;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Dispose() => _lock.Exit();
    }
}
