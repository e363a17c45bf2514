namespace DmaSafe.Analyzers.Tests.Meta;

/// <summary>A driver in the style users write, touching every rule; the prefix test cuts it at every character.</summary>
internal static class RealisticDriver
{
    public const string Source = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Runtime.InteropServices;
        using DmaSafe;

        namespace Sample.Spi;

        [InlineArray(16)]
        public struct Command { private byte _b; }

        [DmaAligned]
        public unsafe struct AdcState
        {
            public int Flags;
            public Command Tx;
            public fixed byte Pad[108];
            [DmaBuffer] public fixed byte Rx[128];
        }

        public readonly record struct Reading(int Channel, ushort Raw);

        public sealed unsafe class Adc(Machine machine, DmaDevice dev) : IDisposable
        {
            private readonly AdcState* _state = machine.Kzalloc<AdcState>();
            private DmaAddress _rxHandle;

            public Reading Read(int channel)
            {
                var status = (byte*)machine.Kmalloc(8);
                byte* scratch = stackalloc byte[16];
                uint local = 0;
                var rx = dev.MapSingle(_state->Rx, 128, DmaDirection.FromDevice);
                if (dev.MappingError(rx))
                {
                    throw new InvalidOperationException($"map failed for channel {channel}");
                }

                var st = dev.MapSingle(status, 8, DmaDirection.FromDevice);
                dev.DeviceWrite(st, stackalloc byte[8]);
                dev.MapSingle(scratch, 16, DmaDirection.ToDevice);
                dev.MapSingle(&local, 4, DmaDirection.FromDevice);
                VirtToPhys((nint)scratch);
                _rxHandle = dev.MapSingle((byte*)_state + 4, 16, DmaDirection.ToDevice);
                Span<byte> view = new Span<byte>(_state->Rx, 128);
                Send(view.Slice(2, 2));
                dev.UnmapSingle(rx, 128, DmaDirection.FromDevice);
                machine.Kfree(status);
                return new Reading(channel, MemoryMarshal.Read<ushort>(view));
            }

            public int Gather(Span<ScatterEntry> list, byte* extra)
            {
                list[0] = new ScatterEntry(_state->Rx, 128);
                list[1] = new ScatterEntry(extra, 64);
                var n = dev.MapSg(list, DmaDirection.FromDevice);
                Func<int, bool> ok = count => count > 0;
                void Unmap() => dev.UnmapSg(list, DmaDirection.FromDevice);
                if (!ok(n)) return 0;
                Unmap();
                return n;
            }

            [DmaBounceOk("status polled once a second")]
            public void Poll()
            {
                var p = machine.Kmalloc(4);
                var a = dev.MapSingle(p, 4, DmaDirection.Bidirectional);
                if (!dev.MappingError(a)) dev.UnmapSingle(a, 4, DmaDirection.Bidirectional);
            }

            private static void Send([DmaBuffer] ReadOnlySpan<byte> data) { }

            private static ulong VirtToPhys(nint address) => (ulong)address;

            public void Dispose() => machine.Kfree(_state);
        }
        """;

    public const string Profile = """
        { "schema": "dmasafe.bounces/1", "sites": [
          { "allocation": { "file": "/0/Test0.cs", "line": 29, "member": "Read" },
            "map": { "file": "/0/Test0.cs", "line": 38, "member": "Read" }, "count": 3, "bytes": 24 } ] }
        """;
}
