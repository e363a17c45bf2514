namespace DmaSafe.Analyzers.Tests.EndToEnd;

/// <summary>
/// The before-versions of four driver state structs, ported from Linux drivers that kept a DMA buffer next to
/// CPU-owned fields, each with the transfer its driver runs: map the buffer, let the CPU update the neighbours while
/// the device writes, unmap, and report whether the device's bytes and the CPU's writes both arrived.
/// </summary>
internal static class PortedDrivers
{
    /// <summary>The name of each transfer method in <see cref="Source"/>.</summary>
    public static readonly string[] Transfers = { "Ks8851Receive", "SpiNorReadStatus", "Ad7768Scan", "MmcSpiReadBlock" };

    public const string Source = """
        using System;
        using System.Runtime.InteropServices;
        using DmaSafe;

        namespace Ported;

        // drivers/net/ethernet/micrel/ks8851_spi.c: the register cache sits right before the receive frame.
        public unsafe struct Ks8851State
        {
            public ushort RcIer;
            public ushort RcRxqcr;
            [DmaBuffer] public fixed byte RxFrame[1536];
            public int TxSpace;
        }

        // drivers/mtd/spi-nor: read and status buffers between the flags and the timestamp.
        public unsafe struct SpiNorState
        {
            public int Flags;
            [DmaBuffer] public fixed byte ReadBuf[256];
            [DmaBuffer] public fixed byte StatusBuf[128];
            public long Jiffies;
        }

        // drivers/iio/adc/ad7768-1.c: the scan buffer lives in a nested struct between mode and gain.
        public unsafe struct Ad7768ScanData
        {
            [DmaBuffer] public fixed byte Chan[128];
        }

        public struct Ad7768State
        {
            public int Mode;
            public Ad7768ScanData Scan;
            public int Gain;
        }

        // drivers/mmc/host/mmc_spi.c: data token, block and CRC packed as they go on the wire.
        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        public unsafe struct MmcSpiBlock
        {
            public byte Token;
            [DmaBuffer] public fixed byte Data[512];
            public ushort Crc;
        }

        public static unsafe class Transfers
        {
            public static bool Ks8851Receive(Machine machine, DmaDevice dev)
            {
                var st = machine.Kzalloc<Ks8851State>();
                var frame = Pattern(1536, 1);
                var addr = dev.MapSingle(st->RxFrame, 1536, DmaDirection.FromDevice);
                if (dev.MappingError(addr))
                {
                    throw new InvalidOperationException("map failed");
                }

                st->RcIer = 0x1234;
                dev.DeviceWrite(addr, frame);
                st->TxSpace = 6144;
                dev.UnmapSingle(addr, 1536, DmaDirection.FromDevice);
                var ok = Same(st->RxFrame, frame) && st->RcIer == 0x1234 && st->TxSpace == 6144;
                machine.Kfree(st);
                return ok;
            }

            public static bool SpiNorReadStatus(Machine machine, DmaDevice dev)
            {
                var st = machine.Kzalloc<SpiNorState>();
                var data = Pattern(256, 2);
                var status = Pattern(128, 3);
                var read = dev.MapSingle(st->ReadBuf, 256, DmaDirection.FromDevice);
                if (dev.MappingError(read))
                {
                    throw new InvalidOperationException("map failed");
                }

                st->Flags = 5;
                dev.DeviceWrite(read, data);
                dev.UnmapSingle(read, 256, DmaDirection.FromDevice);
                var poll = dev.MapSingle(st->StatusBuf, 128, DmaDirection.Bidirectional);
                if (dev.MappingError(poll))
                {
                    throw new InvalidOperationException("map failed");
                }

                st->Jiffies = 1_000_000;
                dev.DeviceWrite(poll, status);
                st->Flags = 6;
                dev.UnmapSingle(poll, 128, DmaDirection.Bidirectional);
                var ok = Same(st->ReadBuf, data) && Same(st->StatusBuf, status) && st->Flags == 6 && st->Jiffies == 1_000_000;
                machine.Kfree(st);
                return ok;
            }

            public static bool Ad7768Scan(Machine machine, DmaDevice dev)
            {
                var st = machine.Kzalloc<Ad7768State>();
                var samples = Pattern(128, 4);
                var addr = dev.MapSingle(st->Scan.Chan, 128, DmaDirection.FromDevice);
                if (dev.MappingError(addr))
                {
                    throw new InvalidOperationException("map failed");
                }

                st->Mode = 2;
                dev.DeviceWrite(addr, samples);
                st->Gain = 16;
                dev.UnmapSingle(addr, 128, DmaDirection.FromDevice);
                var ok = Same(st->Scan.Chan, samples) && st->Mode == 2 && st->Gain == 16;
                machine.Kfree(st);
                return ok;
            }

            public static bool MmcSpiReadBlock(Machine machine, DmaDevice dev)
            {
                var st = machine.Kzalloc<MmcSpiBlock>();
                var block = Pattern(512, 5);
                var addr = dev.MapSingle(st->Data, 512, DmaDirection.FromDevice);
                if (dev.MappingError(addr))
                {
                    throw new InvalidOperationException("map failed");
                }

                st->Token = 0xFE;
                dev.DeviceWrite(addr, block);
                st->Crc = 0xBEEF;
                dev.UnmapSingle(addr, 512, DmaDirection.FromDevice);
                var ok = Same(st->Data, block) && st->Token == 0xFE && st->Crc == 0xBEEF;
                machine.Kfree(st);
                return ok;
            }

            private static byte[] Pattern(int length, int salt)
            {
                var bytes = new byte[length];
                for (var i = 0; i < length; i++)
                {
                    bytes[i] = (byte)(0x80 | ((i * 7 + salt) & 0x7f));
                }

                return bytes;
            }

            private static bool Same(byte* memory, byte[] expected) => new ReadOnlySpan<byte>(memory, expected.Length).SequenceEqual(expected);
        }
        """;
}
