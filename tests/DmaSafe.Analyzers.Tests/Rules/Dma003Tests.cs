using System.Threading.Tasks;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.StackMemoryToDeviceAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

public sealed class Dma003Tests
{
    private const string Types = """
        using System;
        using System.Runtime.CompilerServices;
        using DmaSafe;

        public unsafe struct Frame { public int Status; public fixed byte Rx[64]; }

        [InlineArray(16)]
        public struct Tx16 { private byte _b; }

        public struct Packet { public int Length; public Tx16 Payload; }

        public static class Bus { public static void Send([DmaBuffer] Span<byte> data) { } }
        """;

    [Fact]
    public async Task StackallocPointer()
    {
        var source = Types + """
            public static unsafe class Driver
            {
                public static void Read(DmaDevice dev)
                {
                    byte* rx = stackalloc byte[64];
                    var a = dev.MapSingle({|#0:rx|}, 64, DmaDirection.FromDevice);
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "DmaDevice.MapSingle"));
    }

    [Fact]
    public async Task StackallocSpanIntoUserSink()
    {
        var source = Types + """
            public static class Spi
            {
                public static void Write([DmaBuffer] ReadOnlySpan<byte> tx) { }
                public static void Send()
                {
                    Span<byte> cmd = stackalloc byte[4];
                    Write({|#0:cmd|});
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Spi.Write"));
    }

    [Fact]
    public async Task AddressOfLocal()
    {
        var source = Types + """
            public static unsafe class Driver
            {
                public static void Read(DmaDevice dev)
                {
                    uint status = 0;
                    dev.MapSingle({|#0:&status|}, 4, DmaDirection.FromDevice);
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("The address of local 'status'", "DmaDevice.MapSingle"));
    }

    [Fact]
    public async Task LocalStructsFixedBufferAndInlineArray()
    {
        var source = Types + """
            public static unsafe class Driver
            {
                public static void Read(DmaDevice dev, Packet packet)
                {
                    Frame frame = default;
                    dev.MapSingle({|#0:frame.Rx|}, 64, DmaDirection.FromDevice);
                    byte* p = &frame.Rx[8];
                    dev.MapSingle({|#1:p|}, 8, DmaDirection.FromDevice);
                    Bus.Send({|#2:packet.Payload|});
                }
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic().WithLocation(0).WithArguments("'Rx' inside local 'frame'", "DmaDevice.MapSingle"),
            Verify.Diagnostic().WithLocation(1).WithArguments("'Rx' inside local 'frame'", "DmaDevice.MapSingle"),
            Verify.Diagnostic().WithLocation(2).WithArguments("'Payload' inside by-value parameter 'packet'", "Bus.Send"));
    }

    [Fact]
    public async Task HeapAndParameterMemoryIsQuiet()
    {
        var source = Types + """
            public static unsafe class Driver
            {
                public static void Read(Machine m, DmaDevice dev, Frame* external, byte[] managed)
                {
                    var frame = m.Kmalloc<Frame>();
                    dev.MapSingle(frame->Rx, 64, DmaDirection.FromDevice);
                    dev.MapSingle(external->Rx, 64, DmaDirection.FromDevice);
                    fixed (byte* p = managed) { dev.MapSingle(p, 64, DmaDirection.FromDevice); }
                    Frame local = default;
                    Frame* copyTarget = frame;
                    *copyTarget = local;
                    dev.MapSingle(copyTarget, 68, DmaDirection.FromDevice);
                }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ConfiguredSinkCatchesStack()
    {
        var test = new Verify.Test
        {
            TestCode = Types + """
                namespace Ixy { public static class Memory { public static ulong VirtToPhys(IntPtr p) => 0; } }
                public static unsafe class Driver
                {
                    public static void Read()
                    {
                        byte* rx = stackalloc byte[64];
                        Ixy.Memory.VirtToPhys({|#0:(IntPtr)rx|});
                    }
                }
                """,
            EditorConfig = "dmasafe.dma_sinks = M:Ixy.Memory.VirtToPhys(System.IntPtr)",
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Memory.VirtToPhys"));
        await test.RunAsync();
    }

    [Fact]
    public async Task ScatterEntryOfAStackBuffer()
    {
        var source = Types + """
            public static unsafe class Driver
            {
                public static void Read(DmaDevice dev)
                {
                    byte* rx = stackalloc byte[64];
                    Span<ScatterEntry> list = stackalloc ScatterEntry[1];
                    list[0] = new ScatterEntry({|#0:rx|}, 64);
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "new ScatterEntry"));
    }
}
