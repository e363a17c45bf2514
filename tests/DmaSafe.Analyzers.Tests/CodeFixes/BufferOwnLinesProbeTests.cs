using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.CodeFixes.Contract;
using DmaSafe.CodeFixes.Layout;
using Xunit;
using Xunit.Abstractions;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

public sealed class BufferOwnLinesProbeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("""
            using DmaSafe;
            using System.Runtime.InteropServices;

            namespace Driver;

            /// <summary>Two buffers.</summary>
            public unsafe struct Spi
            {
                public int Status; // the status word
                [DmaBuffer] public fixed byte Rx[64];
                public int A, B;
                [DmaBuffer] public fixed byte Tx[32];
                public short Tail { get; set; }
            }

            public unsafe struct Inner
            {
                public int S;
                [DmaBuffer] public fixed byte Buf[64];
                public int C;
            }

            public struct Outer
            {
                public long Head;
                public Inner In;
                public int T;
            }

            [StructLayout(LayoutKind.Sequential, Pack = 1)]
            public unsafe struct Packed
            {
                public byte A;
                [DmaBuffer] public fixed byte Rx[100];
                public short B;
            }

            [StructLayout(LayoutKind.Explicit)]
            public unsafe struct Ex
            {
                [FieldOffset(0)] public int A;
                [FieldOffset(0)] public float AsFloat;
                [FieldOffset(4)] [DmaBuffer] public fixed byte Rx[16];
                [FieldOffset(20)] public int B;
                [FieldOffset(24)] public long C;
            }
            """)]
    public async Task Probe(string source)
    {
        var document = FixWorkspace.CreateDocument(source);
        var diagnostics = await FixWorkspace.AnalyzeAsync(document, new LayoutContractAnalyzer());
        output.WriteLine(string.Join("\n", diagnostics));
        var (fixedDocument, refusal) = await BufferOwnLinesFix.TryApplyAsync(document, diagnostics, CancellationToken.None);
        output.WriteLine(refusal ?? "ok");
        output.WriteLine((await fixedDocument.GetTextAsync()).ToString());
        output.WriteLine(string.Join("\n", await FixWorkspace.AnalyzeAsync(fixedDocument, new LayoutContractAnalyzer())));
        output.WriteLine(string.Join("\n", await FixWorkspace.ErrorsAsync(fixedDocument.Project)));
        Assert.Fail("probe");
    }
}
