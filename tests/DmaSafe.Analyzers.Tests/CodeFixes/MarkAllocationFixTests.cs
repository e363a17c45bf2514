using System.Threading.Tasks;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.CodeFixes.CodeFixVerifier<
    DmaSafe.Analyzers.Rules.KmallocNotLineAlignedAnalyzer,
    DmaSafe.CodeFixes.Fixers.KmallocNotLineAlignedCodeFixProvider>;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>DMA002 "Mark the allocation DMA-aligned" and "Accept bouncing here", on the real DMA002 analyzer.</summary>
public sealed class MarkAllocationFixTests
{
    private const string Mark = "DmaSafe.MarkAllocationDmaAligned";
    private const string Accept = "DmaSafe.AcceptBouncing";

    private static string Driver(string body) => $$"""
        using DmaSafe;

        public sealed unsafe class Driver(Machine machine, DmaDevice dev)
        {
            public void Read()
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("machine.Kmalloc(16)", "machine.Kmalloc(16, Gfp.DmaAligned)")]
    [InlineData("machine.Kmalloc(16, Gfp.Kernel)", "machine.Kmalloc(16, Gfp.DmaAligned)")]
    [InlineData("machine.Kzalloc(64, Gfp.Zero)", "machine.Kzalloc(64, Gfp.Zero | Gfp.DmaAligned)")]
    [InlineData("machine.Kmalloc(96, Gfp.Atomic | Gfp.Zero)", "machine.Kmalloc(96, Gfp.Atomic | Gfp.Zero | Gfp.DmaAligned)")]
    [InlineData("machine.Kmalloc(size: 16)", "machine.Kmalloc(size: 16, flags: Gfp.DmaAligned)")]
    [InlineData("machine.Kmalloc(flags: Gfp.Atomic, size: 16)", "machine.Kmalloc(flags: Gfp.Atomic | Gfp.DmaAligned, size: 16)")]
    [InlineData("machine.Kmalloc(16, line: 3)", "machine.Kmalloc(16, line: 3, flags: Gfp.DmaAligned)")]
    public Task Flags_are_created_or_merged(string allocation, string marked) =>
        Verify.VerifyFixAsync(
            Driver($$"""
                var buf = {|DMA002:{{allocation}}|};
                    var a = dev.MapSingle(buf, 16, DmaDirection.FromDevice);
                """),
            Driver($$"""
                var buf = {{marked}};
                    var a = dev.MapSingle(buf, 16, DmaDirection.FromDevice);
                """),
            Mark);

    [Fact]
    public Task Fix_All_marks_every_allocation_and_adds_the_using()
    {
        const string source = """
            public sealed unsafe class Driver(DmaSafe.Machine machine, DmaSafe.DmaDevice dev)
            {
                public void Read()
                {
                    var status = {|DMA002:machine.Kmalloc(8)|};
                    var rx = {|DMA002:machine.Kzalloc(96)|};
                    dev.MapSingle(status, 8, DmaSafe.DmaDirection.FromDevice);
                    dev.MapSingle(rx, 96, DmaSafe.DmaDirection.FromDevice);
                }
            }
            """;
        const string fixedSource = """
            using DmaSafe;

            public sealed unsafe class Driver(DmaSafe.Machine machine, DmaSafe.DmaDevice dev)
            {
                public void Read()
                {
                    var status = machine.Kmalloc(8, Gfp.DmaAligned);
                    var rx = machine.Kzalloc(96, Gfp.DmaAligned);
                    dev.MapSingle(status, 8, DmaSafe.DmaDirection.FromDevice);
                    dev.MapSingle(rx, 96, DmaSafe.DmaDirection.FromDevice);
                }
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Mark);
    }

    [Fact]
    public Task Accepting_the_bounce_marks_the_method_with_an_editable_reason()
    {
        const string source = """
            using DmaSafe;

            public sealed unsafe class Driver(Machine machine, DmaDevice dev)
            {
                // Polls the status byte.
                public void Poll()
                {
                    var status = {|DMA002:machine.Kmalloc(8)|};
                    dev.MapSingle(status, 8, DmaDirection.FromDevice);
                }
            }
            """;
        const string fixedSource = """
            using DmaSafe;

            public sealed unsafe class Driver(Machine machine, DmaDevice dev)
            {
                // Polls the status byte.
                [DmaBounceOk("TODO: why bouncing is fine here")]
                public void Poll()
                {
                    var status = machine.Kmalloc(8);
                    dev.MapSingle(status, 8, DmaDirection.FromDevice);
                }
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Accept);
    }

    [Fact]
    public Task Accepting_the_bounce_in_a_constructor_marks_the_class()
    {
        const string source = """
            using DmaSafe;

            internal sealed unsafe class Probe
            {
                public Probe(Machine machine, DmaDevice dev)
                {
                    var id = {|DMA002:machine.Kmalloc(4)|};
                    dev.MapSingle(id, 4, DmaDirection.FromDevice);
                }
            }
            """;
        const string fixedSource = """
            using DmaSafe;

            [DmaBounceOk("TODO: why bouncing is fine here")]
            internal sealed unsafe class Probe
            {
                public Probe(Machine machine, DmaDevice dev)
                {
                    var id = machine.Kmalloc(4);
                    dev.MapSingle(id, 4, DmaDirection.FromDevice);
                }
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Accept);
    }
}
