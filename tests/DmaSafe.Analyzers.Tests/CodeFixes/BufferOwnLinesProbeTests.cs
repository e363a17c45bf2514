using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.CodeFixes.Contract;
using DmaSafe.CodeFixes.Layout;
using Xunit;
using Xunit.Abstractions;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

public sealed class BufferOwnLinesProbeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Probe()
    {
        var document = FixWorkspace.CreateDocument("""
            using DmaSafe;

            namespace Driver;

            public unsafe struct AdcState
            {
                public int Status;
                [DmaBuffer] public fixed byte Rx[64];
                public int Count;
            }
            """);
        var diagnostics = await FixWorkspace.AnalyzeAsync(document, new LayoutContractAnalyzer());
        output.WriteLine(string.Join("\n", diagnostics));
        var (fixedDocument, refusal) = await BufferOwnLinesFix.TryApplyAsync(document, diagnostics, CancellationToken.None);
        output.WriteLine(refusal ?? "ok");
        output.WriteLine((await fixedDocument.GetTextAsync()).ToString());
        Assert.Fail("probe");
    }
}
