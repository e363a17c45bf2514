using System.Threading.Tasks;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.CodeFixes.CodeFixVerifier<
    DmaSafe.Analyzers.Rules.UnmarkedSinkParameterAnalyzer,
    DmaSafe.CodeFixes.Fixers.UnmarkedSinkParameterCodeFixProvider>;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>DMA006 "Mark parameter [DmaBuffer]", on the real DMA006 analyzer.</summary>
public sealed class MarkParameterFixTests
{
    private const string Key = "DmaSafe.MarkParameterDmaBuffer";

    [Fact]
    public Task Parameter_gets_the_attribute_inline()
    {
        const string source = """
            using DmaSafe;

            public sealed unsafe class Spi(DmaDevice dev)
            {
                public DmaAddress Start(void* {|DMA006:rx|}, nuint n)
                {
                    byte* p = (byte*)rx;
                    return dev.MapSingle(p + 4, n, DmaDirection.FromDevice);
                }
            }
            """;
        const string fixedSource = """
            using DmaSafe;

            public sealed unsafe class Spi(DmaDevice dev)
            {
                public DmaAddress Start([DmaBuffer] void* rx, nuint n)
                {
                    byte* p = (byte*)rx;
                    return dev.MapSingle(p + 4, n, DmaDirection.FromDevice);
                }
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }

    [Fact]
    public Task Fix_All_marks_each_parameter_keeps_other_attributes_and_adds_the_using()
    {
        const string source = """
            using System;
            using System.Diagnostics.CodeAnalysis;

            public static class Bus
            {
                public static void Post([DmaSafe.DmaBuffer] ReadOnlySpan<byte> data) { }

                public static unsafe void Post2([DmaSafe.DmaBuffer] void* data) { }

                public static void Forward([NotNull] ReadOnlySpan<byte> {|DMA006:payload|}) => Post(payload.Slice(2));

                public static unsafe void Forward2(
                    int flags,
                    nint {|DMA006:handle|}) => Post2((void*)handle);
            }
            """;
        const string fixedSource = """
            using System;
            using System.Diagnostics.CodeAnalysis;
            using DmaSafe;

            public static class Bus
            {
                public static void Post([DmaSafe.DmaBuffer] ReadOnlySpan<byte> data) { }

                public static unsafe void Post2([DmaSafe.DmaBuffer] void* data) { }

                public static void Forward([DmaBuffer] [NotNull] ReadOnlySpan<byte> payload) => Post(payload.Slice(2));

                public static unsafe void Forward2(
                    int flags,
                    [DmaBuffer] nint handle) => Post2((void*)handle);
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }
}
