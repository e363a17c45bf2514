using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyDma001 = DmaSafe.Analyzers.Tests.CodeFixes.CodeFixVerifier<
    DmaSafe.Analyzers.Rules.BufferSharesCacheLineAnalyzer,
    DmaSafe.CodeFixes.Fixers.BufferSharesCacheLineCodeFixProvider>;
using VerifyDma004 = DmaSafe.Analyzers.Tests.CodeFixes.CodeFixVerifier<
    DmaSafe.Analyzers.Rules.BounceHotSpotAnalyzer,
    DmaSafe.CodeFixes.Fixers.BounceHotSpotCodeFixProvider>;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>
/// "Accept bouncing here" for DMA001 (on the field) and DMA004 (on the method), and DMA004's "Mark the allocation
/// DMA-aligned" at an allocation site recorded in a bounce profile, on the real analyzers.
/// </summary>
public sealed class AcceptBouncingFixTests
{
    private const string Accept = "DmaSafe.AcceptBouncing";
    private const string Mark = "DmaSafe.MarkAllocationDmaAligned";

    [Fact]
    public Task Dma001_accepts_bouncing_on_the_field_only()
    {
        const string source = """
            using DmaSafe;

            public unsafe struct AdcState
            {
                public int Status;

                /// <summary>Conversion results.</summary>
                [DmaBuffer] public fixed byte {|DMA001:Rx|}[64];
                public int Count;
            }
            """;
        const string fixedSource = """
            using DmaSafe;

            public unsafe struct AdcState
            {
                public int Status;

                /// <summary>Conversion results.</summary>
                [DmaBounceOk("TODO: why bouncing is fine here")]
                [DmaBuffer] public fixed byte Rx[64];
                public int Count;
            }
            """;
        return VerifyDma001.VerifyFixAsync(source, fixedSource, Accept, CodeFixTestBehaviors.SkipLocalDiagnosticCheck);
    }

    // Line numbers in the profile are the lines of this source (/0/Test0.cs): the allocation on line 9, the map on line 14.
    private const string ProfiledDriver = """
        using DmaSafe;

        public sealed unsafe class Driver(Machine machine, DmaDevice dev)
        {
            private byte* _status;

            public void Probe()
            {
                _status = (byte*){|#0:machine.Kmalloc(8)|};
            }

            public void Read()
            {
                var a = {|#1:dev.MapSingle(_status, 8, DmaDirection.FromDevice)|};
                if (dev.MappingError(a)) return;
                dev.UnmapSingle(a, 8, DmaDirection.FromDevice);
            }
        }
        """;

    private const string Profile = """
        { "schema": "dmasafe.bounces/1", "lineSize": 128, "sites": [
          { "allocation": { "file": "/0/Test0.cs", "line": 9, "member": "Probe" },
            "map": { "file": "/0/Test0.cs", "line": 14, "member": "Read" },
            "count": 40, "bytes": 320, "directions": { "FromDevice": 40 } } ] }
        """;

    [Fact]
    public async Task Dma004_marks_the_profiled_allocation()
    {
        var test = new VerifyDma004.Test
        {
            TestCode = ProfiledDriver,
            FixedCode = ProfiledDriver.Replace("{|#0:machine.Kmalloc(8)|}", "machine.Kmalloc(8, Gfp.DmaAligned)").Replace("{|#1:", string.Empty).Replace(")|};", ");"),
            CodeActionEquivalenceKey = Mark,
        };
        test.TestState.AdditionalFiles.Add(("/0/run.dmabounces.json", Profile));
        test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithLocation(0).WithArguments("40", "320", "run.dmabounces.json", "Read (Test0.cs:14)"));
        test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(1).WithArguments("40", "320", "run.dmabounces.json", "Probe (Test0.cs:9)"));

        // The profile records what happened before the fix; the next run's profile will not list the site.
        test.FixedState.AdditionalFiles.Add(("/0/run.dmabounces.json", Profile));
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.FixedState.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithSpan(9, 26, 9, 60).WithArguments("40", "320", "run.dmabounces.json", "Read (Test0.cs:14)"));
        test.FixedState.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithSpan(14, 17, 14, 67).WithArguments("40", "320", "run.dmabounces.json", "Probe (Test0.cs:9)"));
        await test.RunAsync();
    }

    private const string Accepted = "    [DmaBounceOk(\"TODO: why bouncing is fine here\")]\n";

    private static readonly string Unmarked = ProfiledDriver
        .Replace("{|#0:machine.Kmalloc(8)|}", "machine.Kmalloc(8)")
        .Replace("{|#1:dev.MapSingle(_status, 8, DmaDirection.FromDevice)|}", "dev.MapSingle(_status, 8, DmaDirection.FromDevice)");

    [Fact]
    public async Task Dma004_accepts_bouncing_on_the_methods_that_allocate_and_map()
    {
        var test = new VerifyDma004.Test
        {
            TestCode = ProfiledDriver,
            // One at a time, the first fix adds a line, so the profile's line numbers no longer name the map site
            // (a profile describes the code it was recorded on); Fix All sees both sites at once.
            FixedCode = Unmarked.Replace("    public void Probe()", Accepted + "    public void Probe()"),
            BatchFixedCode = Unmarked.Replace("    public void Probe()", Accepted + "    public void Probe()").Replace("    public void Read()", Accepted + "    public void Read()"),
            CodeActionEquivalenceKey = Accept,
        };
        test.TestState.AdditionalFiles.Add(("/0/run.dmabounces.json", Profile));
        test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithLocation(0).WithArguments("40", "320", "run.dmabounces.json", "Read (Test0.cs:14)"));
        test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(1).WithArguments("40", "320", "run.dmabounces.json", "Probe (Test0.cs:9)"));
        test.FixedState.AdditionalFiles.Add(("/0/run.dmabounces.json", Profile));
        await test.RunAsync();
    }
}
