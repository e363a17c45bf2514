using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Dma001;

/// <summary>What DMA001 hands the code fix in the diagnostic's properties: the line size and the kinds of finding.</summary>
public sealed class Dma001PropertiesTests
{
    [Theory]
    [InlineData("public unsafe struct S { public int status; [DmaBuffer] public fixed byte rx[64]; public int count; }", "SharedLine,RootNotPlaced")]
    [InlineData("[DmaAligned] public unsafe struct S { public int status; [DmaBuffer] public fixed byte rx[64]; }", "SharedLine")]
    [InlineData("[StructLayout(LayoutKind.Explicit)] public unsafe struct S { [FieldOffset(128)] [DmaBuffer] public fixed byte rx[64]; }", "RootNotPlaced")]
    [InlineData("public unsafe struct S { public object o; [DmaBuffer] public fixed byte rx[64]; }", "UnknownLayout")]
    [InlineData("[DmaAligned] public unsafe struct B { public fixed byte rx[128]; } [DmaAligned] public struct S { public int a; [DmaBuffer] public B b; }", "SharedLine,MisplacedAlignedStruct")]
    public async Task Findings_and_line_size_travel_in_the_properties(string source, string findings)
    {
        var compilation = TestReferences.Compile(TestReferences.All, "using System.Runtime.InteropServices; using DmaSafe;\n" + source);
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BufferSharesCacheLineAnalyzer())).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("128", diagnostic.Properties["LineSize"]);
        Assert.Equal(findings, diagnostic.Properties["Findings"]);
    }
}
