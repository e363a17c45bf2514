using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.CodeFixes.Contract;
using DmaSafe.CodeFixes.Fixers;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.CodeFixes.CodeFixVerifier<
    DmaSafe.Analyzers.Tests.CodeFixes.Contract.LayoutContractAnalyzer,
    DmaSafe.CodeFixes.Fixers.BufferSharesCacheLineCodeFixProvider>;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

public sealed class BufferOwnLinesFixTests
{
    private const string Key = "DmaSafe.GiveBufferOwnLines";

    [Fact]
    public Task Buffer_between_two_ints_is_padded_onto_its_own_lines()
    {
        const string source = """
            using DmaSafe;

            namespace Driver;

            public unsafe struct AdcState
            {
                public int Status;
                [DmaBuffer] public fixed byte {|DMA001:Rx|}[64];
                public int Count;
            }
            """;
        const string fixedSource = """
            x
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }
}
