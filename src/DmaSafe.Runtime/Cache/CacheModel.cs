using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DmaSafe;

/// <summary>
/// The CPU data cache as a non-coherent device experiences it, with arm64's maintenance (KERNEL-FACTS §5, §6).
/// <para>
/// Two views of memory. The CPU view is the arena itself: driver code reads and writes it through pointers, so it
/// is what the CPU's cache holds. The RAM view is a second native block of the same size that only a device reads
/// and writes; the OS commits its pages on first touch, so it costs memory only where DMA happened. RAM is kept
/// meaningful only for the lines of active mappings: map cleans every line it touches, which makes RAM equal to
/// the CPU view there, and from then on the device works on RAM while the CPU works on its cache.
/// </para>
/// <para>
/// A line is dirty when its CPU view differs from what the cache held at its last maintenance (RAM, or the
/// snapshot a <see cref="DeviceWrittenLine"/> keeps once the device has written RAM). This is an approximation:
/// a CPU store of the value a byte already had leaves the line clean here, where hardware would mark it dirty. It
/// can only hide a write-back that would have written the very same bytes, so no corruption is missed.
/// </para>
/// <para>Every member must be called with the machine's DMA lock held.</para>
/// </summary>
internal sealed unsafe class CacheModel : IDisposable
{
    /// <summary>Under random eviction, each dirty tracked line is written back with probability 1 in this, per device access.</summary>
    private const int RandomEvictionOdds = 4;

    private readonly Machine _machine;
    private readonly nuint _cpuStart;
    private readonly nuint _lineSize;
    private readonly nuint _lineMask;
    private readonly bool _pureInvalidate;
    private readonly EvictionPolicy _eviction;

    // Only eviction reads the tracked ranges: without it (the default), a map and an unmap skip the list entirely.
    private readonly bool _tracksRanges;
    private readonly Random _random;
    private readonly Dictionary<nuint, DeviceWrittenLine> _deviceWritten = new();
    private readonly Stack<DeviceWrittenLine> _spareLines = new();
    private CacheRange[] _tracked = new CacheRange[16];
    private int _trackedCount;
    private byte* _ram;

    public CacheModel(Machine machine)
    {
        _machine = machine;
        _cpuStart = machine.Memory.Start;
        _lineSize = (nuint)machine.Options.DmaMinAlign;
        _lineMask = _lineSize - 1;
        _pureInvalidate = machine.Options.InvalidatePartialLinesWithoutClean;
        _eviction = machine.Options.Eviction;
        _tracksRanges = _eviction != EvictionPolicy.None;
        _random = new Random(machine.Options.Seed);
        _ram = (byte*)NativeMemory.AlignedAlloc(machine.Memory.TotalBytes, (nuint)machine.Options.PageSize);
        if (_ram == null)
        {
            throw new OutOfMemoryException($"Could not reserve {(ulong)machine.Memory.TotalBytes} bytes for the simulated RAM view.");
        }
    }

    /// <summary>The coherency granule: <see cref="MachineOptions.DmaMinAlign"/>.</summary>
    public nuint LineSize => _lineSize;

    /// <summary>
    /// Lists the lines of [start, start + length) (a new mapping) among those eviction may write back. Under
    /// <see cref="EvictionPolicy.None"/> nothing is listed (nothing would read the list); the range stays untracked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Track(CacheRange range, DmaDevice device, nuint start, nuint length)
    {
        if (!_tracksRanges)
        {
            return;
        }

        range.Start = start & ~_lineMask;
        range.End = AlignUp(start + length);
        if (!ReferenceEquals(range.Device, device))
        {
            range.Device = device; // a reference store costs a GC write barrier; a reused range usually has this device
        }

        if (_trackedCount == _tracked.Length)
        {
            Array.Resize(ref _tracked, _tracked.Length * 2);
        }

        // Slots past the count keep the ranges that last sat there (see Untrack): a remap usually finds itself in
        // place and stores no reference (a GC write barrier).
        range.Index = _trackedCount;
        ref var slot = ref _tracked[_trackedCount++];
        if (!ReferenceEquals(slot, range))
        {
            slot = range;
        }
    }

    /// <summary>Stops tracking a range (its mapping ended).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Untrack(CacheRange range)
    {
        if (range.Index < 0)
        {
            return;
        }

        // The vacated last slot keeps its reference: only slots below the count are read, and what it retains is an
        // untracked range of a reusable mapping entry.
        var last = _tracked[--_trackedCount];
        if (!ReferenceEquals(last, range))
        {
            _tracked[range.Index] = last;
            last.Index = range.Index;
        }

        range.Index = -1; // Device stays: only tracked ranges are read, and the next Track sets it
    }

    /// <summary>
    /// Cleans every line [start, start + length) touches (<c>dcache_clean_poc</c>): dirty lines are written back to
    /// RAM and stay valid. A dirty line the device wrote since its last maintenance loses the device's bytes.
    /// </summary>
    public void Clean(nuint start, nuint length, DmaDevice device, string cause)
    {
        var first = start & ~_lineMask;
        var end = AlignUp(start + length);
        if (_deviceWritten.Count == 0)
        {
            // No device bytes pending anywhere: writing back every line gives the same RAM as writing back the dirty ones.
            CopyCpuToRam(first, end - first);
            return;
        }

        for (var line = first; line < end; line += _lineSize)
        {
            if (_deviceWritten.TryGetValue(line, out var written))
            {
                if (IsDirty(line, written.Snapshot))
                {
                    WriteBack(line, written, device, cause);
                }
            }
            else
            {
                CopyCpuToRam(line, _lineSize);
            }
        }
    }

    /// <summary>
    /// Invalidates every line [start, start + length) touches (<c>dcache_inval_poc</c>): whole lines are dropped and
    /// refilled from RAM; partly covered lines are cleaned first (arm64), or, with
    /// <see cref="MachineOptions.InvalidatePartialLinesWithoutClean"/>, dropped too, losing the CPU's writes to the rest of the line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invalidate(nuint start, nuint length, DmaDevice device, string cause)
    {
        if (_deviceWritten.Count == 0 && ((start | length) & _lineMask) == 0)
        {
            // Whole lines and no device bytes pending: every line is dropped and refilled from RAM.
            CopyRamToCpu(start, length);
            return;
        }

        InvalidateLines(start, length, device, cause);
    }

    private void InvalidateLines(nuint start, nuint length, DmaDevice device, string cause)
    {
        var rangeEnd = start + length;
        var first = start & ~_lineMask;
        var end = AlignUp(rangeEnd);
        if (_deviceWritten.Count == 0 && first == start && end == rangeEnd)
        {
            CopyRamToCpu(first, end - first);
            return;
        }

        for (var line = first; line < end; line += _lineSize)
        {
            _deviceWritten.TryGetValue(line, out var written);
            if (line >= start && line + _lineSize <= rangeEnd)
            {
                // A line wholly inside the buffer: the CPU may not have written it while the device owned it, so drop it.
                CopyRamToCpu(line, _lineSize);
            }
            else if (_pureInvalidate)
            {
                DiscardPartialLine(line, start, rangeEnd, written, device, cause);
            }
            else if (IsDirty(line, written is null ? RamSpan(line) : written.Snapshot))
            {
                WriteBack(line, written, device, cause);
                continue; // written back: CPU view and RAM agree, and the entry is released
            }
            else
            {
                CopyRamToCpu(line, _lineSize);
            }

            Release(line, written);
        }
    }

    /// <summary>The device writes RAM at the CPU address <paramref name="target"/> (the cache is bypassed).</summary>
    public void DeviceWrite(nuint target, ReadOnlySpan<byte> data)
    {
        var end = target + (nuint)data.Length;
        for (var line = target & ~_lineMask; line < end; line += _lineSize)
        {
            if (!_deviceWritten.TryGetValue(line, out var written))
            {
                written = _spareLines.Count > 0 ? _spareLines.Pop() : new DeviceWrittenLine((int)_lineSize);
                RamSpan(line).CopyTo(written.Snapshot);
                _deviceWritten.Add(line, written);
            }

            var from = line > target ? line : target;
            var to = line + _lineSize < end ? line + _lineSize : end;
            written.Mask.AsSpan((int)(from - line), (int)(to - from)).Fill(true);
        }

        data.CopyTo(new Span<byte>(Ram(target), data.Length));
    }

    /// <summary>The device reads RAM at the CPU address <paramref name="source"/>.</summary>
    public void DeviceRead(nuint source, Span<byte> destination) =>
        new ReadOnlySpan<byte>(Ram(source), destination.Length).CopyTo(destination);

    /// <summary>Lets the cache write dirty lines back on its own, as <see cref="MachineOptions.Eviction"/> says, at a device access.</summary>
    public void EvictAtDeviceAccess()
    {
        if (_eviction == EvictionPolicy.None)
        {
            return;
        }

        for (var index = 0; index < _trackedCount; index++)
        {
            var range = _tracked[index];
            for (var line = range.Start; line < range.End; line += _lineSize)
            {
                var picked = _eviction == EvictionPolicy.Adversarial || _random.Next(RandomEvictionOdds) == 0;
                if (!picked)
                {
                    continue;
                }

                _deviceWritten.TryGetValue(line, out var written);
                if (IsDirty(line, written is null ? RamSpan(line) : written.Snapshot))
                {
                    WriteBack(line, written, range.Device!, "eviction");
                }
            }
        }
    }

    public void Dispose()
    {
        if (_ram != null)
        {
            NativeMemory.AlignedFree(_ram);
            _ram = null;
        }
    }

    private bool IsDirty(nuint line, ReadOnlySpan<byte> lastMaintained) => !CpuSpan(line).SequenceEqual(lastMaintained);

    /// <summary>Writes a dirty line back; device bytes it changes are hazard A.</summary>
    private void WriteBack(nuint line, DeviceWrittenLine? written, DmaDevice device, string cause)
    {
        if (written is not null)
        {
            var cpu = CpuSpan(line);
            var ram = RamSpan(line);
            var (first, last) = (-1, -1);
            for (var i = 0; i < cpu.Length; i++)
            {
                if (written.Mask[i] && cpu[i] != ram[i])
                {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }

            if (first >= 0)
            {
                Report(CoherencyFaultKind.DeviceDataOverwritten, device, line, first, last, cause);
            }
        }

        CopyCpuToRam(line, _lineSize);
        Release(line, written);
    }

    /// <summary>A pure invalidate of a partly covered line: the CPU's writes outside the buffer are lost (hazard B).</summary>
    private void DiscardPartialLine(nuint line, nuint start, nuint end, DeviceWrittenLine? written, DmaDevice device, string cause)
    {
        var cpu = CpuSpan(line);
        ReadOnlySpan<byte> lastMaintained = written is null ? RamSpan(line) : written.Snapshot;
        var (first, last) = (-1, -1);
        for (var i = 0; i < cpu.Length; i++)
        {
            var address = line + (nuint)i;
            if ((address < start || address >= end) && cpu[i] != lastMaintained[i])
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }

        if (first >= 0)
        {
            Report(CoherencyFaultKind.CpuWriteDiscarded, device, line, first, last, cause);
        }

        CopyRamToCpu(line, _lineSize);
    }

    private void Report(CoherencyFaultKind kind, DmaDevice device, nuint line, int first, int last, string cause)
    {
        var address = line + (nuint)first;
        var owners = LineOwners.Of(_machine.Slab, line, _lineSize, address);
        _machine.Telemetry.Fault(new CoherencyFault(kind, device.Name, line, address, last - first + 1, cause, owners));
    }

    private void Release(nuint line, DeviceWrittenLine? written)
    {
        if (written is null)
        {
            return;
        }

        _deviceWritten.Remove(line);
        written.Reset();
        _spareLines.Push(written);
    }

    private void CopyCpuToRam(nuint address, nuint length) => ModelCopy.Copy((void*)address, Ram(address), length);

    private void CopyRamToCpu(nuint address, nuint length) => ModelCopy.Copy(Ram(address), (void*)address, length);

    private byte* Ram(nuint cpuAddress) => _ram + (cpuAddress - _cpuStart);

    private Span<byte> CpuSpan(nuint line) => new((void*)line, (int)_lineSize);

    private Span<byte> RamSpan(nuint line) => new(Ram(line), (int)_lineSize);

    private nuint AlignUp(nuint value) => (value + _lineMask) & ~_lineMask;
}
