using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static DmaSafe.Analyzers.Tests.Dma001.Dma001Verify;

namespace DmaSafe.Analyzers.Tests.Dma001;

/// <summary>DMA001 for [DmaBuffer] fields, [DmaBounceOk] scopes, the line-size option, and inputs that must stay quiet.</summary>
public sealed class Dma001DeclaredAndScopeTests
{
    private const string AntiPattern = "public unsafe struct State { public int status; [DmaBuffer] public fixed byte {|#0:rx|}[64]; public int count; }";

    [Fact]
    public Task DmaBuffer_field_without_any_mapping_is_checked_in_its_own_struct() => VerifyAsync(
        AntiPattern,
        At("rx", "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4), 'count' [68..72); 'State' is not [DmaAligned], so nothing places it on a 128-byte boundary"));

    [Fact]
    public Task DmaBuffer_field_of_a_DmaAligned_padded_struct_is_clean() => VerifyAsync(
        """
        [DmaAligned]
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        public unsafe struct State { [FieldOffset(0)] public int status; [FieldOffset(128)] [DmaBuffer] public fixed byte rx[128]; }
        """);

    [Fact]
    public Task DmaBuffer_field_mapped_only_ToDevice_is_exempt() => VerifyAsync(
        AntiPattern.Replace("{|#0:rx|}", "rx") + """

        public static unsafe class Driver { public static void W(State* st, DmaDevice dev) => dev.MapSingle(st->rx, 64, DmaDirection.ToDevice); }
        """);

    [Fact]
    public Task DmaBuffer_field_in_a_class_is_reported() => VerifyAsync(
        """
        [InlineArray(64)] public struct Buf64 { private byte _e; }
        public class Dev { [DmaBuffer] public Buf64 {|#0:rx|}; }
        """,
        At("rx", "it is a field of the class 'Dev', whose instances the runtime aligns to 8 bytes only and may move"));

    [Fact]
    public Task DmaBuffer_pointer_and_array_fields_point_elsewhere_and_are_not_checked() => VerifyAsync(
        """
        public unsafe struct State { public int status; [DmaBuffer] public byte* rx; [DmaBuffer] public nint handle; }
        public class Dev { [DmaBuffer] public byte[] data = new byte[64]; }
        """);

    [Theory]
    [InlineData("public unsafe struct State { public int status; [DmaBuffer, DmaBounceOk(\"slow path\")] public fixed byte rx[64]; }", "")]
    [InlineData("[DmaBounceOk] public unsafe struct State { public int status; [DmaBuffer] public fixed byte rx[64]; }", "")]
    [InlineData("public static class Outer { [DmaBounceOk] public unsafe struct State { public int status; [DmaBuffer] public fixed byte rx[64]; } }", "")]
    public Task DmaBounceOk_on_the_field_or_its_types_silences(string declarations, string unused) => VerifyAsync(declarations + unused);

    [Fact]
    public Task DmaBounceOk_on_every_mapping_method_or_class_silences() => VerifyAsync(
        """
        public unsafe struct State { public int status; public fixed byte rx[64]; }
        public static unsafe class Driver
        {
            [DmaBounceOk("rare ioctl")]
            public static void A(State* st, DmaDevice dev) => dev.MapSingle(st->rx, 64, DmaDirection.FromDevice);
        }
        [DmaBounceOk]
        public static unsafe class Legacy
        {
            public static void B(State* st, DmaDevice dev) => dev.MapSingle(st->rx, 64, DmaDirection.FromDevice);
        }
        """);

    [Fact]
    public Task A_silenced_mapping_does_not_hide_an_unsilenced_one() => VerifyAsync(
        """
        public unsafe struct State { public int status; public fixed byte {|#0:rx|}[64]; }
        public static unsafe class Driver
        {
            [DmaBounceOk] public static void A(State* st, DmaDevice dev) => dev.MapSingle(st->rx, 64, DmaDirection.FromDevice);
            public static void B(State* st, DmaDevice dev) => {|#1:dev.MapSingle(st->rx, 64, DmaDirection.FromDevice)|};
        }
        """,
        At("rx", "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4); 'State' is not [DmaAligned], so nothing places it on a 128-byte boundary", sinkCalls: 1));

    private const string PaddedFor64 =
        "[DmaAligned] public unsafe struct State { public int status; private fixed byte _pad0[60]; [DmaBuffer] public fixed byte {|#0:rx|}[64]; public int count; }";

    [Fact]
    public Task With_64_byte_lines_a_64_byte_padded_buffer_is_clean() =>
        VerifyWithOptionsAsync("dmasafe.dma_minalign = 64", PaddedFor64.Replace("{|#0:rx|}", "rx"));

    [Fact]
    public Task With_the_default_128_byte_lines_the_same_buffer_shares_its_line() => VerifyAsync(
        PaddedFor64,
        At("rx", "bytes [64..128) of 'State' share line 0 [0..128) with 'status' [0..4)"));

    [Fact]
    public Task With_256_byte_lines_from_globalconfig_count_shares_too()
    {
        var test = new AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.Test { TestCode = Usings + PaddedFor64, GlobalConfig = "dmasafe.dma_minalign = 256" };
        test.ExpectedDiagnostics.Add(At("rx", "bytes [64..128) of 'State' share line 0 [0..256) with 'status' [0..4), 'count' [128..132)"));
        return test.RunAsync();
    }

    [Fact]
    public Task Nothing_is_registered_without_DmaSafe_and_nothing_is_reported() =>
        new AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.Test
        {
            TestCode = "public unsafe struct State { public int status; public fixed byte rx[64]; }",
            TestState = { AdditionalReferences = { }, },
        }.RunAsync();

    [Fact]
    public Task Generated_code_is_skipped() =>
        new AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.Test
        {
            TestState =
            {
                Sources = { ("State.g.cs", Usings + "// <auto-generated/>\npublic unsafe struct State { public int status; [DmaBuffer] public fixed byte rx[64]; }") },
            },
        }.RunAsync();
}
