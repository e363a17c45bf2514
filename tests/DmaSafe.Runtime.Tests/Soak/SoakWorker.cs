using System;
using System.Collections.Generic;
using System.Threading;

namespace DmaSafe.Runtime.Tests.Soak;

/// <summary>
/// One soak thread: random kmalloc/kzalloc/kfree, maps of random sub-ranges in random directions on random devices,
/// device reads and writes, CPU writes to bytes no mapping covers, syncs, unmaps. It keeps a byte-exact model of
/// its own objects and checks it after every sync and unmap; it predicts every bounce from the policy on its own, so
/// the runtime's counters can be checked against it.
/// </summary>
internal sealed unsafe class SoakWorker
{
    private const int MaxObjects = 24;
    private const int MaxMappingsPerTransfer = 6;

    private readonly Machine _machine;
    private readonly DmaDevice[] _devices;
    private readonly LiveObjectRegistry _registry;
    private readonly SoakTally _tally;
    private readonly SoakConfiguration _configuration;
    private readonly Random _random;
    private readonly List<SoakObject> _objects = new();
    private readonly nuint _line;
    private bool _sawPoolFull;

    public SoakWorker(Machine machine, DmaDevice[] devices, LiveObjectRegistry registry, SoakTally tally, SoakConfiguration configuration, int seed)
    {
        _machine = machine;
        _devices = devices;
        _registry = registry;
        _tally = tally;
        _configuration = configuration;
        _random = new Random(seed);
        _line = (nuint)machine.Options.DmaMinAlign;
    }

    /// <summary>The operation in progress, for the deadlock report.</summary>
    public volatile string Current = "not started";

    public void Run(DateTime until, CancellationToken stop)
    {
        while (DateTime.UtcNow < until && !stop.IsCancellationRequested)
        {
            var choice = _random.Next(10);
            if (_objects.Count < 2 || (choice < 3 && _objects.Count < MaxObjects))
            {
                Allocate();
            }
            else if (choice < 5)
            {
                Free(_random.Next(_objects.Count));
            }
            else
            {
                Transfer();
            }

            _tally.Operation();
        }

        Current = "freeing everything";
        while (_objects.Count > 0)
        {
            Free(_objects.Count - 1);
        }

        Current = "done";
    }

    private void Allocate()
    {
        var size = NextSize();
        var flags = _random.Next(4) switch { 0 => Gfp.DmaAligned, 1 => Gfp.Atomic, _ => Gfp.Kernel };
        var zeroed = _random.Next(3) == 0;
        Current = $"kmalloc({size}, {flags}{(zeroed ? " | Zero" : string.Empty)})";
        var pointer = (byte*)(zeroed ? _machine.Kzalloc((nuint)size, flags) : _machine.Kmalloc((nuint)size, flags));
        if (pointer == null)
        {
            throw new InvalidOperationException($"{Current} returned NULL on a 16 MiB machine holding at most {MaxObjects} objects per thread");
        }

        var ksize = _machine.Ksize(pointer);
        if (ksize < (nuint)size)
        {
            throw new InvalidOperationException($"{Current} at 0x{(ulong)pointer:x}: ksize {ksize} is below the request");
        }

        if ((flags & Gfp.DmaAligned) != 0 && ((nuint)pointer % _line != 0 || ksize % _line != 0))
        {
            throw new InvalidOperationException($"{Current} at 0x{(ulong)pointer:x} with ksize {ksize} is not on {_line}-byte lines");
        }

        _registry.Add((nuint)pointer, ksize, Current);
        var bytes = new Span<byte>(pointer, size);
        if (zeroed && bytes.IndexOfAnyExcept((byte)0) is var dirty and >= 0)
        {
            throw new InvalidOperationException($"{Current} at 0x{(ulong)pointer:x}: byte {dirty} is 0x{bytes[dirty]:x2}, not zero");
        }

        var expected = new byte[size];
        _random.NextBytes(expected);
        expected.CopyTo(bytes);
        _objects.Add(new SoakObject(pointer, size, ksize, expected));
        _tally.Allocated();
    }

    private void Free(int index)
    {
        var victim = _objects[index];
        Current = $"kfree(0x{(ulong)victim.Pointer:x})";
        if (_configuration.ByteExact)
        {
            Verify(victim, 0, victim.Size, "before kfree");
        }

        _objects.RemoveAt(index);
        _registry.Remove((nuint)victim.Pointer);
        _machine.Kfree(victim.Pointer);
        _tally.Freed();
    }

    private void Transfer()
    {
        var mappings = new List<SoakMapping>();
        var count = 1 + _random.Next(Math.Min(MaxMappingsPerTransfer, _objects.Count));
        var chosen = new HashSet<int>();
        while (chosen.Count < count)
        {
            chosen.Add(_random.Next(_objects.Count));
        }

        foreach (var index in chosen)
        {
            var target = _objects[index];
            var offset = _random.Next(2) == 0 ? 0 : _random.Next(target.Size);
            var length = _random.Next(2) == 0 ? target.Size - offset : 1 + _random.Next(target.Size - offset);
            var direction = (DmaDirection)_random.Next(3);
            var device = _devices[_random.Next(_devices.Length)];
            var bounces = ExpectBounce(device, target, offset, length, direction);
            Current = $"map {length} bytes at +{offset} of a {target.Size}-byte object, {direction}, on {device}";
            var handle = device.MapSingle(target.Pointer + offset, (nuint)length, direction);
            if (device.MappingError(handle))
            {
                if (!bounces)
                {
                    throw new InvalidOperationException($"{Current}: DMA_MAPPING_ERROR for a mapping that needs no bounce");
                }

                _tally.PoolFull();
                _sawPoolFull = true;
                continue;
            }

            _tally.Mapped(bounces, length);
            if (bounces && _sawPoolFull)
            {
                _tally.Recovered();
                _sawPoolFull = false;
            }

            mappings.Add(new SoakMapping(target, offset, length, direction, device, handle));
        }

        CpuWritesOutside(mappings);
        foreach (var mapping in mappings)
        {
            DeviceWork(mapping);
        }

        CpuWritesOutside(mappings);
        foreach (var mapping in mappings)
        {
            if (mapping.Direction != DmaDirection.ToDevice && _random.Next(3) == 0)
            {
                Current = $"sync {mapping}";
                mapping.Device.SyncSingleForCpu(mapping.Handle, (nuint)mapping.Length, mapping.Direction);
                Verify(mapping.Object, mapping.Offset, mapping.Length, "after sync_for_cpu");
                mapping.Device.SyncSingleForDevice(mapping.Handle, (nuint)mapping.Length, mapping.Direction);
                DeviceWork(mapping);
            }
        }

        foreach (var mapping in mappings)
        {
            Current = $"unmap {mapping}";
            mapping.Device.UnmapSingle(mapping.Handle, (nuint)mapping.Length, mapping.Direction);
        }

        foreach (var mapping in mappings)
        {
            Verify(mapping.Object, 0, mapping.Object.Size, "after unmap");
        }
    }

    /// <summary>The bounce rule of each policy, restated from KERNEL-FACTS §3 rather than called.</summary>
    private bool ExpectBounce(DmaDevice device, SoakObject target, int offset, int length, DmaDirection direction)
    {
        var policy = _configuration.Policy;
        if (policy == BouncePolicy.Always)
        {
            return true;
        }

        if (policy == BouncePolicy.Never || device.Coherent || direction == DmaDirection.ToDevice)
        {
            return false;
        }

        if (policy == BouncePolicy.KmallocSize)
        {
            return !((nuint)length >= 2 * _line || _machine.KmallocSizeRoundup((nuint)length) % _line == 0);
        }

        // Alignment: the real start and end must sit on lines, except that an end inside the object's own slack
        // (bytes past the request, up to ksize) shares its line with nothing.
        var start = (nuint)target.Pointer + (nuint)offset;
        var end = start + (nuint)length;
        var startOwn = start % _line == 0;
        var endOwn = end % _line == 0
            || (offset + length == target.Size && (end + _line - 1) / _line * _line <= (nuint)target.Pointer + target.Ksize);
        return !(startOwn && endOwn);
    }

    private void CpuWritesOutside(List<SoakMapping> mappings)
    {
        for (var n = _random.Next(16); n > 0; n--)
        {
            var target = _objects[_random.Next(_objects.Count)];
            var at = _random.Next(target.Size);
            if (mappings.Exists(m => m.Object == target && at >= m.Offset && at < m.Offset + m.Length))
            {
                continue;
            }

            var value = (byte)_random.Next(256);
            target.Pointer[at] = value;
            target.Expected[at] = value;
        }
    }

    private void DeviceWork(SoakMapping mapping)
    {
        if (mapping.Direction != DmaDirection.FromDevice)
        {
            Current = $"device read {mapping}";
            var seen = new byte[mapping.Length];
            mapping.Device.DeviceRead(mapping.Handle, seen);
            if (_configuration.ByteExact && !seen.AsSpan().SequenceEqual(mapping.Object.Expected.AsSpan(mapping.Offset, mapping.Length)))
            {
                throw new InvalidOperationException($"{Current}: the device read bytes the CPU did not write");
            }
        }

        if (mapping.Direction != DmaDirection.ToDevice)
        {
            Current = $"device write {mapping}";
            var from = _random.Next(mapping.Length);
            var data = new byte[1 + _random.Next(mapping.Length - from)];
            _random.NextBytes(data);
            mapping.Device.DeviceWrite(mapping.Handle + (ulong)from, data);
            data.CopyTo(mapping.Object.Expected, mapping.Offset + from);
            _tally.DeviceWrote(data.Length);
        }
    }

    private void Verify(SoakObject target, int offset, int length, string when)
    {
        var actual = new ReadOnlySpan<byte>(target.Pointer + offset, length);
        var expected = target.Expected.AsSpan(offset, length);
        var lost = 0;
        var first = -1;
        for (var i = 0; i < length; i++)
        {
            if (actual[i] != expected[i])
            {
                lost++;
                first = first < 0 ? i : first;
            }
        }

        _tally.Verified(length, lost);
        if (lost == 0)
        {
            return;
        }

        if (_configuration.ByteExact)
        {
            throw new InvalidOperationException(
                $"{lost} bytes lost {when} in the {target.Size}-byte object at 0x{(ulong)target.Pointer:x}, first at byte {offset + first}: " +
                $"expected 0x{expected[first]:x2}, found 0x{actual[first]:x2} (last operation: {Current})");
        }

        // KmallocSize and Never may lose bytes by design; take memory as it is so later checks stay meaningful.
        actual.CopyTo(expected);
    }

    private static int NextSize(Random random) => random.Next(10) switch
    {
        < 6 => 1 + random.Next(200),
        < 9 => 200 + random.Next(1900),
        _ => 2100 + random.Next(7000),
    };

    private int NextSize() => NextSize(_random);

    private sealed class SoakObject(byte* pointer, int size, nuint ksize, byte[] expected)
    {
        public byte* Pointer { get; } = pointer;

        public int Size { get; } = size;

        public nuint Ksize { get; } = ksize;

        public byte[] Expected { get; } = expected;
    }

    private readonly record struct SoakMapping(SoakObject Object, int Offset, int Length, DmaDirection Direction, DmaDevice Device, DmaAddress Handle)
    {
        public override string ToString() => $"{Length} bytes at +{Offset} of a {Object.Size}-byte object, {Direction}, on {Device}";
    }
}
