using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.KmallocNotLineAlignedAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

public sealed class Dma002Tests
{
    private static string Driver(string body, string attributes = "") => $$"""
        using System;
        using DmaSafe;

        {{attributes}}
        public sealed unsafe class Driver
        {
            private readonly Machine _machine = new();
            private readonly DmaDevice _dev;

            public Driver() => _dev = _machine.AddDevice("spi0");

            public void Read(nuint n, Gfp flags)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("16", "16", "16")]
    [InlineData("64", "64", "64")]
    [InlineData("96", "96", "32")]
    [InlineData("136", "192", "64")]
    [InlineData("1", "8", "8")]
    public async Task SmallOrOddClassMappedInbound(string size, string sizeClass, string alignment)
    {
        var source = Driver($$"""
            var buf = {|#0:_machine.Kmalloc({{size}})|};
            var a = _dev.MapSingle(buf, {{size}}, DmaDirection.FromDevice);
            """);
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments(size, sizeClass, alignment, "128", "DmaDevice.MapSingle (line 15)"));
    }

    [Theory]
    [InlineData("100")]
    [InlineData("128")]
    [InlineData("200")]
    [InlineData("9000")]
    public async Task LineAlignedClassesAreQuiet(string size) =>
        await Verify.VerifyAsync(Driver($"var buf = _machine.Kmalloc({size}); _dev.MapSingle(buf, {size}, DmaDirection.FromDevice);"));

    [Fact]
    public async Task DmaAlignedFlagIsQuiet() =>
        await Verify.VerifyAsync(Driver("var buf = _machine.Kzalloc(16, Gfp.Kernel | Gfp.DmaAligned); _dev.MapSingle(buf, 16, DmaDirection.Bidirectional);"));

    [Fact]
    public async Task NonConstantSizeOrFlagsAreQuiet()
    {
        await Verify.VerifyAsync(Driver("var buf = _machine.Kmalloc(n); _dev.MapSingle(buf, n, DmaDirection.FromDevice);"));
        await Verify.VerifyAsync(Driver("var buf = _machine.Kmalloc(16, flags); _dev.MapSingle(buf, 16, DmaDirection.FromDevice);"));
    }

    [Fact]
    public async Task ToDeviceOnlyDoesNotBounce() =>
        await Verify.VerifyAsync(Driver("var buf = _machine.Kmalloc(16); _dev.MapSingle(buf, 16, DmaDirection.ToDevice);"));

    [Fact]
    public async Task NotMappedIsQuiet() =>
        await Verify.VerifyAsync(Driver("var buf = _machine.Kmalloc(16); _machine.Kfree(buf);"));

    [Fact]
    public async Task ReportedOncePerAllocation()
    {
        var source = Driver("""
            byte* buf = (byte*){|#0:_machine.Kzalloc(32)|};
            var a = _dev.MapSingle(buf, 32, DmaDirection.FromDevice);
            var b = _dev.MapSingle(buf + 0, 16, DmaDirection.Bidirectional);
            """);
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("32", "32", "32", "128", "DmaDevice.MapSingle (line 15)"));
    }

    [Fact]
    public async Task BounceOkOnTheClassSilences() =>
        await Verify.VerifyAsync(Driver("var buf = _machine.Kmalloc(16); _dev.MapSingle(buf, 16, DmaDirection.FromDevice);", "[DmaBounceOk(\"status byte, rare\")]"));

    [Fact]
    public async Task BounceOkOnTheMethodSilences()
    {
        const string source = """
            using DmaSafe;
            public static unsafe class Driver
            {
                [DmaBounceOk]
                public static void Read(Machine m, DmaDevice dev) { var b = m.Kmalloc(16); dev.MapSingle(b, 16, DmaDirection.FromDevice); }
            }
            """;
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task KmallocMinAlignOptionFoldsClasses()
    {
        // m = 64: 96 folds into 128 (aligned), 16 folds into 64 (still below the line).
        var quiet = new Verify.Test
        {
            TestCode = Driver("var buf = _machine.Kmalloc(96); _dev.MapSingle(buf, 96, DmaDirection.FromDevice);"),
            EditorConfig = "dmasafe.kmalloc_minalign = 64",
        };
        await quiet.RunAsync();

        var loud = new Verify.Test
        {
            TestCode = Driver("var buf = {|#0:_machine.Kmalloc(16)|}; _dev.MapSingle(buf, 16, DmaDirection.FromDevice);"),
            EditorConfig = "dmasafe.kmalloc_minalign = 64",
        };
        loud.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("16", "64", "64", "128", "DmaDevice.MapSingle (line 14)"));
        await loud.RunAsync();
    }

    [Fact]
    public async Task DmaMinAlignOptionChangesTheLine()
    {
        // With a 64-byte line, kmalloc-64 and kmalloc-192 (64-aligned) are fine; kmalloc-96 (32-aligned) is not.
        var test = new Verify.Test
        {
            TestCode = Driver("""
                var a = _machine.Kmalloc(64); _dev.MapSingle(a, 64, DmaDirection.FromDevice);
                var b = _machine.Kmalloc(136); _dev.MapSingle(b, 136, DmaDirection.FromDevice);
                var c = {|#0:_machine.Kmalloc(96)|}; _dev.MapSingle(c, 96, DmaDirection.FromDevice);
                """),
            GlobalConfig = "dmasafe.dma_minalign = 64",
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("96", "96", "32", "64", "DmaDevice.MapSingle (line 16)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task ThroughUserSinkParameterAndSpan()
    {
        const string source = """
            using System;
            using DmaSafe;
            public static unsafe class Spi
            {
                public static void Transfer([DmaBuffer] Span<byte> rx) { }
                public static void Read(Machine m)
                {
                    var p = {|#0:m.Kmalloc(48)|};
                    Transfer(new Span<byte>(p, 48));
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("48", "64", "64", "128", "Spi.Transfer (line 9)"));
    }

    [Fact]
    public async Task GenericKmallocIsLeftToDma001() =>
        await Verify.VerifyAsync(Driver("var p = _machine.Kmalloc<int>(); _dev.MapSingle(p, 4, DmaDirection.FromDevice);"));

    [Fact]
    public void SupportsOnlyItsRule() => Assert.Single(new KmallocNotLineAlignedAnalyzer().SupportedDiagnostics);
}
