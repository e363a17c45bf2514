using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.Flow;
using Xunit;
using Dma002 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.KmallocNotLineAlignedAnalyzer>;
using Dma003 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.StackMemoryToDeviceAnalyzer>;
using Dma005 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.UncheckedMappingAnalyzer>;
using Dma006 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.UnmarkedSinkParameterAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

/// <summary>
/// The same finding from both paths: each rule sees one shape syntax decides (no operation tree) and one only the
/// operation path handles, and reports the same diagnostic for both; which path each shape takes is pinned too.
/// </summary>
public sealed class SyntaxPathRuleTests
{
    private static string Driver(string body, string parameters = "") => $$"""
        using System;
        using DmaSafe;

        public sealed unsafe class Driver
        {
            private readonly Machine _machine = new();
            private readonly DmaDevice _dev;

            public Driver() => _dev = _machine.AddDevice("spi0");

            public int Read({{parameters}})
            {
                {{body}}
                return 0;
            }
        }
        """;

    private static string Plain(string markup) =>
        markup.Replace("{|#0:", string.Empty).Replace("|}", string.Empty);

    private static void AssertPath(string source, bool bySyntax)
    {
        var (syntax, operations) = SyntaxPathHelper.ReadBothWays(Plain(source));
        Assert.Equal(operations.Blocks, syntax.Blocks);
        Assert.Equal(bySyntax ? 1 : 0, syntax.DecidedBySyntax);
    }

    // Checked by the next statement (syntax), and the same mapping's result unmapped unchecked (operations, and DMA005).
    private const string Checked = "if (_dev.MappingError(a)) { return -1; }";
    private const string Unchecked = "_dev.UnmapSingle(a, 16, DmaDirection.FromDevice);";

    [Theory]
    [InlineData(Checked, true)]
    [InlineData(Unchecked, false)]
    public async Task Dma002FromEitherPath(string after, bool bySyntax)
    {
        var source = Driver($$"""
            var status = (byte*){|#0:_machine.Kmalloc(16)|};
            var a = _dev.MapSingle(status, 16, DmaDirection.FromDevice);
            {{after}}
            """);
        AssertPath(source, bySyntax);
        await Dma002.VerifyAsync(source, Dma002.Diagnostic().WithLocation(0).WithArguments("16", "16", "16", "128", "DmaDevice.MapSingle (line 14)"));
    }

    [Theory]
    [InlineData(Checked, true)]
    [InlineData(Unchecked, false)]
    public async Task Dma003FromEitherPath(string after, bool bySyntax)
    {
        var source = Driver($$"""
            byte* status = stackalloc byte[16];
            var a = _dev.MapSingle({|#0:status|}, 16, DmaDirection.FromDevice);
            {{after}}
            """);
        AssertPath(source, bySyntax);
        await Dma003.VerifyAsync(source, Dma003.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "DmaDevice.MapSingle"));
    }

    [Theory]
    [InlineData("byte* p = (byte*)rx;", true)]
    [InlineData("byte* p; p = (byte*)rx;", false)]
    public async Task Dma006FromEitherPath(string local, bool bySyntax)
    {
        var source = Driver($$"""
            {{local}}
            var a = _dev.MapSingle(p + 4, 16, DmaDirection.FromDevice);
            {{Checked}}
            """, "void* {|#0:rx|}");
        AssertPath(source, bySyntax);
        await Dma006.VerifyAsync(source, Dma006.Diagnostic().WithLocation(0).WithArguments("rx", "DmaDevice.MapSingle"));
    }

    [Fact]
    public async Task Dma005QuietWhenSyntaxDecidesAndReportedByTheOperationPath()
    {
        var quiet = Driver("var st = _machine.Kzalloc<Buffers>(); var a = _dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); " + Checked + " " + Unchecked) + Buffers;
        AssertPath(quiet, bySyntax: true);
        await Dma005.VerifyAsync(quiet);

        var reported = Driver("var st = _machine.Kzalloc<Buffers>(); var a = _dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); _dev.UnmapSingle({|#0:a|}, 64, DmaDirection.FromDevice);") + Buffers;
        AssertPath(reported, bySyntax: false);
        await Dma005.VerifyAsync(reported, Dma005.Diagnostic().WithLocation(0).WithArguments("DmaDevice.MapSingle", "unmapped by 'DmaDevice.UnmapSingle'", "MappingError"));
    }

    private const string Buffers = """

        public unsafe struct Buffers { [DmaBuffer] public fixed byte Rx[128]; }
        """;
}
