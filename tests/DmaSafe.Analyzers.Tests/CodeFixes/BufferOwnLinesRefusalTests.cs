using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using DmaSafe.CodeFixes.Layout;
using Xunit;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>
/// Where the DMA001 layout fix cannot be exact it is not offered, and says why (the light bulb then shows only
/// "Accept bouncing here").
/// </summary>
public sealed class BufferOwnLinesRefusalTests
{
    [Theory]
    [InlineData("""
        using DmaSafe;
        using System.Runtime.InteropServices;

        [StructLayout(LayoutKind.Explicit)]
        public unsafe struct Union
        {
            [FieldOffset(0)] public int Status;
            [FieldOffset(4)] [DmaBuffer] public fixed byte Rx[16];
            [FieldOffset(8)] public long Overlay;
        }
        """, "overlaps a DMA buffer's bytes")]
    [InlineData("""
        using DmaSafe;

        public unsafe struct Ring<T>
            where T : unmanaged
        {
            public int Head;
            [DmaBuffer] public fixed byte Rx[64];
        }

        public static unsafe class Use
        {
            public static void Touch(Ring<int>* r) => r->Head = 1;
        }
        """, "generic")]
    public async Task Fix_is_refused_with_a_reason(string source, string reason)
    {
        var document = FixWorkspace.CreateDocument(source);
        var diagnostics = await FixWorkspace.AnalyzeAsync(document, new BufferSharesCacheLineAnalyzer());
        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.BufferSharesCacheLine);

        var (result, refusal) = await BufferOwnLinesFix.TryApplyAsync(document, diagnostics, CancellationToken.None);

        Assert.Same(document, result);
        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixing_a_fixed_struct_again_changes_nothing()
    {
        const string source = """
            using DmaSafe;
            using System.Runtime.InteropServices;

            [DmaAligned]
            [StructLayout(LayoutKind.Explicit, Size = 384)]
            public unsafe struct AdcState
            {
                [FieldOffset(0)] public int Status;
                [FieldOffset(128)] [DmaBuffer] public fixed byte Rx[64];
                [FieldOffset(256)] public int Count;
            }
            """;
        var document = FixWorkspace.CreateDocument(source);
        Assert.Empty(await FixWorkspace.AnalyzeAsync(document, new BufferSharesCacheLineAnalyzer()));

        // Even if asked (a stale diagnostic), the plan of a fixed struct is the identity.
        var stale = Microsoft.CodeAnalysis.Diagnostic.Create(
            Descriptors.BufferSharesCacheLine,
            (await document.GetSyntaxRootAsync())!.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax>().Single(v => v.Identifier.ValueText == "Rx").Identifier.GetLocation(),
            "Rx",
            "stale");
        var (result, _) = await BufferOwnLinesFix.TryApplyAsync(document, [stale], CancellationToken.None);
        Assert.Equal(source, (await result.GetTextAsync()).ToString());
    }
}
