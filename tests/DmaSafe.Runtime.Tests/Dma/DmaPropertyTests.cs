using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CsCheck;
using Xunit;

namespace DmaSafe.Runtime.Tests.Dma;

/// <summary>
/// Under the alignment rule no driver that keeps the DMA API's ownership rules can lose a byte, whatever the
/// allocations, sub-ranges, directions, CPU writes to neighbours and evictions: every byte the device wrote is what
/// the CPU reads after sync/unmap, every CPU write outside the mappings survives, and the model records no fault.
/// </summary>
public sealed unsafe class DmaPropertyTests
{
    private static readonly Gen<Scenario> Scenarios =
        Gen.Select(
            Gen.Int[1, 700].Array[2, 14],
            Gen.Enum<EvictionPolicy>(),
            Gen.Int[1, 4],
            Gen.Int,
            (sizes, eviction, rounds, seed) => new Scenario(sizes, eviction, rounds, seed));

    [Fact]
    public void AlignmentPolicyNeverLosesAByte()
    {
        Scenarios.Sample(
            scenario =>
            {
                using var machine = CreateMachine(scenario.Eviction, scenario.Seed);
                var driver = new RandomDriver(machine, machine.AddDevice("dev"), scenario.Sizes, new Random(scenario.Seed));
                driver.Run(scenario.Rounds);
                AssertCleanRun(machine);
            },
            iter: 150,
            threads: 1);
    }

    [Fact]
    public void AlignmentPolicyNeverLosesAByteWithTwoThreads()
    {
        Scenarios.Sample(
            scenario =>
            {
                using var machine = CreateMachine(scenario.Eviction, scenario.Seed);
                var shared = machine.AddDevice("shared");
                var other = machine.AddDevice("other");
                var first = new RandomDriver(machine, shared, scenario.Sizes, new Random(scenario.Seed));
                var second = new RandomDriver(machine, scenario.Seed % 2 == 0 ? shared : other, scenario.Sizes.Reverse().ToArray(), new Random(~scenario.Seed));
                Exception? failure = null;
                var thread = new Thread(() =>
                {
                    try
                    {
                        second.Run(scenario.Rounds + 1);
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                });
                thread.Start();
                first.Run(scenario.Rounds + 1);
                thread.Join();
                if (failure is not null)
                {
                    throw new InvalidOperationException("second driver thread failed", failure);
                }

                AssertCleanRun(machine);
            },
            iter: 60,
            threads: 1);
    }

    private static Machine CreateMachine(EvictionPolicy eviction, int seed) =>
        TestMachines.Create(BouncePolicy.Alignment, eviction, seed, onViolation: DebugViolationAction.Record, swiotlbBytes: 2L << 20);

    private static void AssertCleanRun(Machine machine)
    {
        Assert.Empty(machine.Faults);

        // Neighbouring small buffers may start in one L1 line: dma-debug reports that (as Linux would) but the bounce
        // keeps it harmless. Nothing else may be reported.
        Assert.All(machine.DebugViolations, v => Assert.StartsWith("overlap", v.Check, StringComparison.Ordinal));
    }

    private sealed record Scenario(int[] Sizes, EvictionPolicy Eviction, int Rounds, int Seed)
    {
        public override string ToString() => $"sizes [{string.Join(",", Sizes)}] eviction {Eviction} rounds {Rounds} seed {Seed}";
    }

    /// <summary>A driver that follows the ownership rules at random, with a byte-exact model of what memory must hold.</summary>
    private sealed class RandomDriver
    {
        private readonly Machine _machine;
        private readonly DmaDevice _device;
        private readonly Random _random;
        private readonly byte*[] _objects;
        private readonly byte[][] _expected;

        public RandomDriver(Machine machine, DmaDevice device, int[] sizes, Random random)
        {
            _machine = machine;
            _device = device;
            _random = random;
            _objects = new byte*[sizes.Length];
            _expected = new byte[sizes.Length][];
            for (var i = 0; i < sizes.Length; i++)
            {
                _objects[i] = (byte*)machine.Kmalloc((nuint)sizes[i]);
                _expected[i] = new byte[sizes[i]];
                _random.NextBytes(_expected[i]);
                _expected[i].CopyTo(new Span<byte>(_objects[i], sizes[i]));
            }
        }

        public void Run(int rounds)
        {
            for (var round = 0; round < rounds; round++)
            {
                var mappings = MapSome();
                CpuWritesOutside(mappings);
                foreach (var mapping in mappings)
                {
                    DeviceWork(mapping);
                }

                CpuWritesOutside(mappings);
                foreach (var mapping in mappings)
                {
                    if (_random.Next(3) == 0 && mapping.Direction != DmaDirection.ToDevice)
                    {
                        _device.SyncSingleForCpu(mapping.Handle, mapping.Length, mapping.Direction);
                        AssertRange(mapping.Object, mapping.Offset, mapping.Length, "after sync_for_cpu");
                        _device.SyncSingleForDevice(mapping.Handle, mapping.Length, mapping.Direction);
                        DeviceWork(mapping);
                    }
                }

                foreach (var mapping in mappings)
                {
                    _device.UnmapSingle(mapping.Handle, mapping.Length, mapping.Direction);
                }

                for (var i = 0; i < _objects.Length; i++)
                {
                    AssertRange(i, 0, (nuint)_expected[i].Length, $"after unmap in round {round}");
                }
            }

            for (var i = 0; i < _objects.Length; i++)
            {
                _machine.Kfree(_objects[i]);
            }
        }

        private List<Mapping> MapSome()
        {
            var mappings = new List<Mapping>();
            for (var i = 0; i < _objects.Length; i++)
            {
                if (_random.Next(3) == 0)
                {
                    continue;
                }

                var size = _expected[i].Length;
                var offset = _random.Next(2) == 0 ? 0 : _random.Next(size);
                var length = _random.Next(2) == 0 ? size - offset : 1 + _random.Next(size - offset);
                var direction = (DmaDirection)_random.Next(3);
                var handle = _device.MapSingle(_objects[i] + offset, (nuint)length, direction);
                Assert.False(_device.MappingError(handle), $"map of {length} bytes failed");
                mappings.Add(new Mapping(i, (nuint)offset, (nuint)length, direction, handle));
            }

            return mappings;
        }

        /// <summary>CPU stores to bytes no active mapping covers: neighbours, other fields, other objects.</summary>
        private void CpuWritesOutside(List<Mapping> mappings)
        {
            for (var n = _random.Next(24); n > 0; n--)
            {
                var i = _random.Next(_objects.Length);
                var at = (nuint)_random.Next(_expected[i].Length);
                if (mappings.Exists(m => m.Object == i && at >= m.Offset && at < m.Offset + m.Length))
                {
                    continue;
                }

                var value = (byte)_random.Next(256);
                _objects[i][at] = value;
                _expected[i][at] = value;
            }
        }

        private void DeviceWork(Mapping mapping)
        {
            var expected = _expected[mapping.Object];
            if (mapping.Direction != DmaDirection.FromDevice)
            {
                var seen = new byte[(int)mapping.Length];
                _device.DeviceRead(mapping.Handle, seen);
                Assert.Equal(expected.AsSpan((int)mapping.Offset, (int)mapping.Length).ToArray(), seen);
            }

            if (mapping.Direction != DmaDirection.ToDevice)
            {
                var from = _random.Next((int)mapping.Length);
                var data = new byte[1 + _random.Next((int)mapping.Length - from)];
                _random.NextBytes(data);
                _device.DeviceWrite(mapping.Handle + (ulong)from, data);
                data.CopyTo(expected, (int)mapping.Offset + from);
            }
        }

        private void AssertRange(int index, nuint offset, nuint length, string when)
        {
            var actual = new ReadOnlySpan<byte>(_objects[index] + offset, (int)length);
            var expected = _expected[index].AsSpan((int)offset, (int)length);
            if (!actual.SequenceEqual(expected))
            {
                var at = 0;
                while (actual[at] == expected[at])
                {
                    at++;
                }

                Assert.Fail($"object {index} ({_expected[index].Length} bytes) differs {when} at byte {(int)offset + at}: expected {expected[at]}, found {actual[at]}");
            }
        }

        private readonly record struct Mapping(int Object, nuint Offset, nuint Length, DmaDirection Direction, DmaAddress Handle);
    }
}
