using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.UncheckedMappingAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

public sealed class Dma005Tests
{
    private const string MapSingle = "DmaDevice.MapSingle";
    private const string MapSg = "DmaDevice.MapSg";

    private static string Driver(string body) => $$"""
        using System;
        using DmaSafe;

        public sealed unsafe class Driver(Machine machine, DmaDevice dev)
        {
            private DmaAddress _rx;
            private readonly byte* _buf = (byte*)machine.Kmalloc(256, Gfp.DmaAligned);

            public void Run(bool flag, ReadOnlySpan<byte> data, Span<ScatterEntry> list)
            {
                {{body}}
            }

            private static void Post(ulong busAddress) { }
        }
        """;

    private static DiagnosticResult At(int marker, string map, string what, string check = "MappingError") =>
        Verify.Diagnostic().WithLocation(marker).WithArguments(map, what, check);

    [Fact]
    public async Task UsedWithoutAnyCheck() =>
        await Verify.VerifyAsync(
            Driver("""
                var a = dev.MapSingle(_buf, 256, DmaDirection.ToDevice);
                dev.DeviceWrite({|#0:a|}, data);
                dev.UnmapSingle({|#1:a|}, 256, DmaDirection.ToDevice);
                """),
            At(0, MapSingle, "passed to 'DmaDevice.DeviceWrite'"),
            At(1, MapSingle, "unmapped by 'DmaDevice.UnmapSingle'"));

    [Fact]
    public async Task EarlyReturnOnErrorIsChecked() =>
        await Verify.VerifyAsync(Driver("""
            var a = dev.MapSingle(_buf, 256, DmaDirection.FromDevice);
            if (dev.MappingError(a)) return;
            dev.DeviceWrite(a, data);
            dev.UnmapSingle(a, 256, DmaDirection.FromDevice);
            """));

    [Fact]
    public async Task NegatedCheckGuardsTheBlock() =>
        await Verify.VerifyAsync(Driver("""
            var a = dev.MapSingle(_buf, 256, DmaDirection.FromDevice);
            if (!dev.MappingError(a))
            {
                dev.DeviceWrite(a, data);
                dev.UnmapSingle(a, 256, DmaDirection.FromDevice);
            }
            """));

    [Fact]
    public async Task CheckOnOnlyOneBranchIsReported() =>
        await Verify.VerifyAsync(
            Driver("""
                var a = dev.MapSingle(_buf, 256, DmaDirection.FromDevice);
                if (flag)
                {
                    if (dev.MappingError(a)) return;
                }

                Post({|#0:a|}.Value);
                """),
            At(0, MapSingle, "passed to 'Driver.Post'"));

    [Fact]
    public async Task IsErrorDoesNotCountBecauseDmaDebugNeverSeesIt() =>
        await Verify.VerifyAsync(
            Driver("""
                var a = dev.MapSingle(_buf, 256, DmaDirection.FromDevice);
                if (a.IsError) return;
                dev.UnmapSingle({|#0:a|}, 256, DmaDirection.FromDevice);
                """),
            At(0, MapSingle, "unmapped by 'DmaDevice.UnmapSingle'"));

    [Fact]
    public async Task CheckedIdiomNextToAnUncheckedMappingStillGetsTheFlowAnalysis() =>
        await Verify.VerifyAsync(
            Driver("""
                var a = dev.MapSingle(_buf, 128, DmaDirection.FromDevice);
                if (dev.MappingError(a)) return;
                var b = dev.MapSingle(_buf + 128, 128, DmaDirection.FromDevice);
                dev.UnmapSingle(a, 128, DmaDirection.FromDevice);
                dev.UnmapSingle({|#0:b|}, 128, DmaDirection.FromDevice);
                """),
            At(0, MapSingle, "unmapped by 'DmaDevice.UnmapSingle'"));

    [Fact]
    public async Task CheckOfAnotherVariableIsNotAFastPath() =>
        await Verify.VerifyAsync(
            Driver("""
                var a = dev.MapSingle(_buf, 128, DmaDirection.FromDevice);
                var b = dev.MapSingle(_buf + 128, 128, DmaDirection.FromDevice);
                if (dev.MappingError(a)) return;
                dev.DeviceWrite({|#0:b|}, data);
                """),
            At(0, MapSingle, "passed to 'DmaDevice.DeviceWrite'"));

    [Fact]
    public async Task DirectUseOfTheCall() =>
        await Verify.VerifyAsync(
            Driver("""
                dev.DeviceWrite({|#0:dev.MapSingle(_buf, 256, DmaDirection.ToDevice)|}, data);
                var desc = (ulong*)_buf;
                *desc = {|#1:dev.MapSingle(_buf + 128, 64, DmaDirection.ToDevice)|}.Value;
                """),
            At(0, MapSingle, "passed to 'DmaDevice.DeviceWrite'"),
            At(1, MapSingle, "stored in '*desc'"));

    [Fact]
    public async Task FieldStoredAndNeverCheckedIsReportedAtTheMap() =>
        await Verify.VerifyAsync(
            Driver("_rx = {|#0:dev.MapSingle(_buf, 256, DmaDirection.FromDevice)|};"),
            At(0, MapSingle, "stored in field '_rx'"));

    [Fact]
    public async Task FieldStoredThenCheckedIsFine() =>
        await Verify.VerifyAsync(Driver("""
            _rx = dev.MapSingle(_buf, 256, DmaDirection.FromDevice);
            if (dev.MappingError(_rx))
            {
                throw new InvalidOperationException("map failed");
            }
            """));

    [Fact]
    public async Task LoopReassignsAndChecksEachTime() =>
        await Verify.VerifyAsync(Driver("""
            for (var i = 0; i < 4; i++)
            {
                var a = dev.MapSingle(_buf + i * 64, 64, DmaDirection.ToDevice);
                if (dev.MappingError(a)) continue;
                dev.DeviceWrite(a, data);
                dev.UnmapSingle(a, 64, DmaDirection.ToDevice);
            }
            """));

    [Fact]
    public async Task LoopCarriedUncheckedValue() =>
        await Verify.VerifyAsync(
            Driver("""
                DmaAddress a = default;
                for (var i = 0; i < 4; i++)
                {
                    if (i > 0) dev.UnmapSingle({|#0:a|}, 64, DmaDirection.ToDevice);
                    a = dev.MapSingle(_buf + i * 64, 64, DmaDirection.ToDevice);
                }
                """),
            At(0, MapSingle, "unmapped by 'DmaDevice.UnmapSingle'"));

    [Fact]
    public async Task ScatterGatherCountChecked() =>
        await Verify.VerifyAsync(Driver("""
            list[0] = new ScatterEntry(_buf, 128);
            var n = dev.MapSg(list, DmaDirection.FromDevice);
            if (n == 0) return;
            Post(list[0].DmaAddress.Value);
            dev.UnmapSg(list, DmaDirection.FromDevice);
            """));

    [Fact]
    public async Task ScatterGatherUsedWithoutCheckingTheCount() =>
        await Verify.VerifyAsync(
            Driver("""
                list[0] = new ScatterEntry(_buf, 128);
                var n = dev.MapSg(list, DmaDirection.FromDevice);
                Post({|#0:list|}[0].DmaAddress.Value);
                dev.UnmapSg({|#1:list|}, DmaDirection.FromDevice);
                """),
            At(0, MapSg, "read ('list[0].DmaAddress')", "the segment count"),
            At(1, MapSg, "unmapped by 'DmaDevice.UnmapSg'", "the segment count"));

    [Fact]
    public async Task ScatterGatherCountDiscarded() =>
        await Verify.VerifyAsync(
            Driver("""
                list[0] = new ScatterEntry(_buf, 128);
                {|#0:dev.MapSg(list, DmaDirection.FromDevice)|};
                """),
            At(0, MapSg, "discarded", "the segment count"));

    [Fact]
    public async Task ScatterGatherCountInConditionIsChecked() =>
        await Verify.VerifyAsync(Driver("""
            list[0] = new ScatterEntry(_buf, 128);
            if (dev.MapSg(list, DmaDirection.FromDevice) is 0) return;
            dev.UnmapSg(list, DmaDirection.FromDevice);
            """));

    [Fact]
    public async Task ReturningTheAddressLeavesTheCheckToTheCaller()
    {
        const string source = """
            using DmaSafe;
            public static unsafe class Helpers
            {
                public static DmaAddress MapRx(DmaDevice dev, byte* p) => dev.MapSingle(p, 64, DmaDirection.FromDevice);
                public static DmaAddress MapTx(DmaDevice dev, byte* p) { var a = dev.MapSingle(p, 64, DmaDirection.ToDevice); return a; }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LambdasAndLocalFunctionsAreAnalyzedToo()
    {
        const string source = """
            using System;
            using DmaSafe;
            public static unsafe class Helpers
            {
                public static void Run(DmaDevice dev, IntPtr p)
                {
                    Action send = () =>
                    {
                        var a = dev.MapSingle((void*)p, 64, DmaDirection.ToDevice);
                        dev.UnmapSingle({|#0:a|}, 64, DmaDirection.ToDevice);
                    };
                    void Local()
                    {
                        var b = dev.MapSingle((void*)p, 64, DmaDirection.ToDevice);
                        if (dev.MappingError(b)) return;
                        dev.UnmapSingle(b, 64, DmaDirection.ToDevice);
                    }
                }
            }
            """;
        await Verify.VerifyAsync(source, At(0, "DmaDevice.MapSingle", "unmapped by 'DmaDevice.UnmapSingle'"));
    }

    [Fact]
    public async Task TryFinallyAndSwitch() =>
        await Verify.VerifyAsync(
            Driver("""
                var a = dev.MapSingle(_buf, 256, DmaDirection.FromDevice);
                try
                {
                    switch (flag)
                    {
                        case true when dev.MappingError(a):
                            return;
                        default:
                            dev.DeviceWrite({|#0:a|}, data);
                            break;
                    }
                }
                finally
                {
                    Console.WriteLine(a);
                    dev.UnmapSingle({|#1:a|}, 256, DmaDirection.FromDevice);
                }
                """),
            At(0, MapSingle, "passed to 'DmaDevice.DeviceWrite'"),
            At(1, MapSingle, "unmapped by 'DmaDevice.UnmapSingle'"));

    [Fact]
    public async Task CheckedBeforeTryIsCheckedInFinally() =>
        await Verify.VerifyAsync(Driver("""
            var a = dev.MapSingle(_buf, 256, DmaDirection.FromDevice);
            if (dev.MappingError(a)) return;
            try
            {
                dev.DeviceWrite(a, data);
            }
            catch (InvalidOperationException)
            {
                dev.UnmapSingle(a, 256, DmaDirection.FromDevice);
                throw;
            }
            finally
            {
                Console.WriteLine(a);
            }
            """));
}
