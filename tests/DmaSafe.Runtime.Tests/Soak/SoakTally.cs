using System.Threading;

namespace DmaSafe.Runtime.Tests.Soak;

/// <summary>What the soak threads did to one machine, counted independently of the runtime's own telemetry.</summary>
internal sealed class SoakTally
{
    private long _operations;
    private long _allocations;
    private long _frees;
    private long _mappings;
    private long _bounces;
    private long _bouncedBytes;
    private long _swiotlbFull;
    private long _recoveries;
    private long _deviceBytesWritten;
    private long _bytesVerified;
    private long _bytesLost;

    public long Operations => Volatile.Read(ref _operations);

    public long Allocations => Volatile.Read(ref _allocations);

    public long Frees => Volatile.Read(ref _frees);

    /// <summary>Streaming mappings that succeeded (bounced or not).</summary>
    public long Mappings => Volatile.Read(ref _mappings);

    public long Bounces => Volatile.Read(ref _bounces);

    public long BouncedBytes => Volatile.Read(ref _bouncedBytes);

    /// <summary>Mappings that needed a bounce and found the pool full (DMA_MAPPING_ERROR).</summary>
    public long SwiotlbFull => Volatile.Read(ref _swiotlbFull);

    /// <summary>Bounced mappings that succeeded after the same thread had seen the pool full.</summary>
    public long Recoveries => Volatile.Read(ref _recoveries);

    public long DeviceBytesWritten => Volatile.Read(ref _deviceBytesWritten);

    public long BytesVerified => Volatile.Read(ref _bytesVerified);

    public long BytesLost => Volatile.Read(ref _bytesLost);

    public void Operation() => Interlocked.Increment(ref _operations);

    public void Allocated() => Interlocked.Increment(ref _allocations);

    public void Freed() => Interlocked.Increment(ref _frees);

    public void Mapped(bool bounced, long size)
    {
        Interlocked.Increment(ref _mappings);
        if (bounced)
        {
            Interlocked.Increment(ref _bounces);
            Interlocked.Add(ref _bouncedBytes, size);
        }
    }

    public void PoolFull() => Interlocked.Increment(ref _swiotlbFull);

    public void Recovered() => Interlocked.Increment(ref _recoveries);

    public void DeviceWrote(long bytes) => Interlocked.Add(ref _deviceBytesWritten, bytes);

    public void Verified(long bytes, long lost)
    {
        Interlocked.Add(ref _bytesVerified, bytes);
        Interlocked.Add(ref _bytesLost, lost);
    }

    public override string ToString() =>
        $"{Operations} ops: {Allocations} allocations, {Frees} frees, {Mappings} mappings ({Bounces} bounced, {BouncedBytes} bytes), " +
        $"{SwiotlbFull} pool-full errors, {Recoveries} recoveries, {DeviceBytesWritten} device bytes written, {BytesVerified} bytes verified, {BytesLost} lost";
}
