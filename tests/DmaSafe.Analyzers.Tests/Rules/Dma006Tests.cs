using System.Threading.Tasks;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.UnmarkedSinkParameterAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

public sealed class Dma006Tests
{
    [Fact]
    public async Task PointerParameterReachingMapSingle()
    {
        const string source = """
            using DmaSafe;
            public sealed unsafe class Spi(DmaDevice dev)
            {
                public DmaAddress Start(void* {|#0:rx|}, nuint n)
                {
                    byte* p = (byte*)rx;
                    return dev.MapSingle(p + 4, n, DmaDirection.FromDevice);
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("rx", "DmaDevice.MapSingle"));
    }

    [Fact]
    public async Task SpanAndNintParametersIntoUserSink()
    {
        const string source = """
            using System;
            using DmaSafe;
            public static class Bus
            {
                public static void Post([DmaBuffer] ReadOnlySpan<byte> data) { }
                public static unsafe void Post2([DmaBuffer] void* data) { }
                public static void Forward(ReadOnlySpan<byte> {|#0:payload|}) => Post(payload.Slice(2));
                public static unsafe void Forward2(nint {|#1:handle|}) => Post2((void*)handle);
                public static void Marked([DmaBuffer] ReadOnlySpan<byte> payload) => Post(payload);
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic().WithLocation(0).WithArguments("payload", "Bus.Post"),
            Verify.Diagnostic().WithLocation(1).WithArguments("handle", "Bus.Post2"));
    }

    [Fact]
    public async Task ReportedOncePerParameter()
    {
        const string source = """
            using DmaSafe;
            public static unsafe class Driver
            {
                public static void Both(DmaDevice dev, byte* {|#0:buf|})
                {
                    dev.MapSingle(buf, 64, DmaDirection.ToDevice);
                    dev.MapSingle(buf + 64, 64, DmaDirection.FromDevice);
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("buf", "DmaDevice.MapSingle"));
    }

    [Fact]
    public async Task FieldOfAStructParameterIsDma001sBusiness()
    {
        const string source = """
            using DmaSafe;
            public unsafe struct State { public int Status; public fixed byte Rx[64]; }
            public static unsafe class Driver
            {
                public static void Read(DmaDevice dev, State* st) => dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice);
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LambdaParametersAndReassignedLocalsAreQuiet()
    {
        const string source = """
            using System;
            using DmaSafe;
            public static unsafe class Driver
            {
                public static void Read(DmaDevice dev, byte* a, byte* b, bool first)
                {
                    byte* p = a;
                    if (!first) p = b;
                    dev.MapSingle(p, 64, DmaDirection.FromDevice);
                    Action<IntPtr> send = h => dev.MapSingle((void*)h, 8, DmaDirection.ToDevice);
                }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ConfiguredSinkMethodIsNotAskedToMarkItself()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System;
                using DmaSafe;
                namespace Ixy
                {
                    public static class Memory
                    {
                        public static ulong VirtToPhys(IntPtr p) => 0;
                        public static ulong Translate(IntPtr {|#0:q|}) => VirtToPhys(q);
                    }
                }
                """,
            EditorConfig = "dmasafe.dma_sinks = M:Ixy.Memory.VirtToPhys(System.IntPtr)",
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("q", "Memory.VirtToPhys"));
        await test.RunAsync();
    }
}
