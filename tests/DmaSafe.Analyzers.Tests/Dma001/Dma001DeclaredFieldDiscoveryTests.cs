using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Xunit;
using static DmaSafe.Analyzers.Tests.Dma001.Dma001Verify;

namespace DmaSafe.Analyzers.Tests.Dma001;

/// <summary>
/// Which declarations make a [DmaBuffer] field a candidate by itself (no mapping seen): field declarations of every
/// shape, in any file that is not generated; property-targeted and backing-field attributes pin what DMA001 does today.
/// </summary>
public sealed class Dma001DeclaredFieldDiscoveryTests
{
    private const string Message = "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4); 'State' is not [DmaAligned], so nothing places it on a 128-byte boundary";

    [Fact]
    public Task Several_variables_in_one_declaration_are_each_candidates() => VerifyAsync(
        """
        [InlineArray(64)] public struct Buf64 { private byte _e; }
        public struct State { public int status; [DmaBuffer] public Buf64 {|#0:rx|}, {|#1:tx|}; }
        """,
        At("rx", Message),
        AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.Diagnostic().WithLocation(1).WithArguments("tx", "bytes [68..132) of 'State' share line 0 [0..128) with 'status' [0..4); 'State' is not [DmaAligned], so nothing places it on a 128-byte boundary"));

    [Fact]
    public Task Fields_of_nested_types_in_block_namespaces_are_candidates() => VerifyAsync(
        """
        namespace Drivers.Spi
        {
            public static class Outer
            {
                public unsafe struct State { public int status; [DmaBuffer] public fixed byte {|#0:rx|}[64]; }
            }
        }
        """,
        At("rx", Message));

    [Fact]
    public Task An_aliased_attribute_marks_the_field() => VerifyAsync(
        """
        namespace Drivers
        {
            using Buf = DmaSafe.DmaBufferAttribute;

            public unsafe struct State { public int status; [Buf] public fixed byte {|#0:rx|}[64]; }
        }
        """,
        At("rx", Message));

    [Fact]
    public Task The_attribute_spelled_in_full_and_qualified_marks_the_field() => VerifyAsync(
        "public unsafe struct State { public int status; [DmaSafe.DmaBufferAttribute] public fixed byte {|#0:rx|}[64]; }",
        At("rx", Message));

    [Fact]
    public Task A_global_alias_ending_in_Attribute_used_without_the_suffix_in_another_file_marks_the_field()
    {
        var test = new AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.Test
        {
            TestState =
            {
                Sources =
                {
                    ("Aliases.cs", "global using BufAttribute = DmaSafe.DmaBufferAttribute;"),
                    ("State.cs", "public unsafe struct State { public int status; [Buf] public fixed byte {|#0:rx|}[64]; }"),
                },
            },
        };
        test.ExpectedDiagnostics.Add(At("rx", Message));
        return test.RunAsync();
    }

    [Fact]
    public Task A_field_of_a_type_marked_GeneratedCode_is_skipped_like_generated_code() => VerifyAsync(
        """
        [System.CodeDom.Compiler.GeneratedCode("tool", "1.0")]
        public unsafe struct State { public int status; [DmaBuffer] public fixed byte rx[64]; }
        public static class Outer
        {
            [System.CodeDom.Compiler.GeneratedCode("tool", "1.0")]
            public unsafe struct Inner { public int status; [DmaBuffer] public fixed byte rx[64]; }
        }
        """);

    [Fact]
    public Task A_backing_field_attribute_on_an_auto_property_is_not_a_declared_candidate() => VerifyAsync(
        """
        [InlineArray(64)] public struct Buf64 { private byte _e; }
        public class Dev { public int status; [field: DmaBuffer] public Buf64 Rx { get; set; } }
        """);

    [Fact]
    public Task A_backing_field_attribute_on_a_record_parameter_is_not_a_declared_candidate() => VerifyAsync(
        """
        [InlineArray(64)] public struct Buf64 { private byte _e; }
        public record struct State(int Status, [field: DmaBuffer] Buf64 Rx);
        """);
}
