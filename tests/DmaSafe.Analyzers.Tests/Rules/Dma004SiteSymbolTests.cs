using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.BounceHotSpotAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

/// <summary>
/// DMA004 decides a site from the call's syntax and the method it binds to, without an operation tree: these pin what
/// that must get right (helpers taking caller information, extension calls, calls that pass the line themselves,
/// positionally or by name, and [DmaBounceOk] memory reached through casts, initializers and lambdas).
/// </summary>
public sealed class Dma004SiteSymbolTests
{
    // One recorded site of 4 bounces and 32 bytes, in the profile format Dma004Tests writes.
    private static string Profile(string allocMember, int allocLine, string mapMember, int mapLine) =>
        Dma004Tests.Profile(Dma004Tests.Site(allocMember, allocLine, mapMember, mapLine, 4, 32));

    [Fact]
    public async Task ExtensionHelperTakingCallerLineIsAnAllocationSite()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Runtime.CompilerServices;
                using DmaSafe;
                public static unsafe class Alloc
                {
                    public static byte* Status(this Machine machine, [CallerLineNumber] int line = 0) => (byte*)machine.Kmalloc(8);
                }
                public static unsafe class Driver
                {
                    public static void Read(Machine machine, DmaDevice dev)
                    {
                        var p = {|#0:machine.Status()|};
                        var a = {|#1:dev.MapSingle(p, 8, DmaDirection.FromDevice)|};
                    }
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Profile("Read", 11, "Read", 12)));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithLocation(0)
            .WithArguments("4", "32", "a.dmabounces.json", "Read (Test0.cs:12)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(1)
            .WithArguments("4", "32", "a.dmabounces.json", "Read (Test0.cs:11)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task CallsOnARecordedLineThatAreNoSiteStayQuiet()
    {
        // Line 10: a pointer helper without caller information, a call passing the line itself, and a call returning
        // neither a pointer nor a mapping; line 11: a map call in another member than recorded.
        var test = new Verify.Test
        {
            TestCode = """
                using System.Runtime.CompilerServices;
                using DmaSafe;
                public static unsafe class Driver
                {
                    static byte* Plain(Machine m) => (byte*)m.Kmalloc(8);
                    static byte* Lined(Machine m, [CallerLineNumber] int line = 0) => (byte*)m.Kmalloc(8);
                    static int Count([CallerLineNumber] int line = 0) => line;
                    public static void Read(Machine machine, DmaDevice dev)
                    {
                        var p = Plain(machine); var q = Lined(machine, 42); var n = Count();
                        var a = dev.MapSingle(p, 8, DmaDirection.FromDevice);
                    }
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Profile("Read", 10, "Poll", 11)));
        await test.RunAsync();
    }

    [Fact]
    public async Task NamedArgumentsDecideWhetherTheCompilerFillsTheLine()
    {
        // Line 8: the line passed by name (no site); line 9: only the machine named, so the compiler fills the line.
        var test = new Verify.Test
        {
            TestCode = """
                using System.Runtime.CompilerServices;
                using DmaSafe;
                public static unsafe class Driver
                {
                    static byte* Lined(Machine m, [CallerLineNumber] int line = 0) => (byte*)m.Kmalloc(8);
                    public static void Read(Machine machine)
                    {
                        var p = Lined(machine, line: 42);
                        var q = {|#0:Lined(m: machine)|};
                    }
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Dma004Tests.Profile(
            Dma004Tests.Site("Read", 8, "Read", 20, 4, 32),
            Dma004Tests.Site("Read", 9, "Read", 20, 4, 32))));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithLocation(0)
            .WithArguments("4", "32", "a.dmabounces.json", "Read (Test0.cs:20)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task BounceOkMemoryIsFoundThroughInitializersCastsAndLambdas()
    {
        // Line 6: a [DmaBounceOk] field initialized by kmalloc; line 7: the same without the attribute (reported; a field
        // initializer's caller member is the field);
        // line 10: a parenthesized cast into the [DmaBounceOk] field; line 13: a map of it inside a lambda.
        var test = new Verify.Test
        {
            TestCode = """
                using System;
                using DmaSafe;
                public sealed unsafe class Driver(Machine machine, DmaDevice dev)
                {
                    private static readonly Machine Shared = new(new MachineOptions());
                    [DmaBounceOk] private static byte* s_poll = (byte*)Shared.Kmalloc(1);
                    private static byte* s_status = (byte*){|#0:Shared.Kmalloc(1)|};
                    [DmaBounceOk] private byte* _poll;
                    public void Probe()
                    {
                        _poll = ((byte*)(machine.Kmalloc(1)));
                    }
                    public Func<DmaAddress> Read() =>
                        () => dev.MapSingle(_poll, 1, DmaDirection.FromDevice);
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Dma004Tests.Profile(
            Dma004Tests.Site("s_poll", 6, "Read", 13, 1, 1),
            Dma004Tests.Site("s_status", 7, "Read", 13, 2, 2),
            Dma004Tests.Site("Probe", 10, "Read", 13, 3, 3))));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithLocation(0)
            .WithArguments("2", "2", "a.dmabounces.json", "Read (Test0.cs:13)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task AProjectWithItsOwnDmaTypesAndNoBounceOkAttributeGetsItsMapSite()
    {
        // No runtime reference and no [DmaBounceOk] anywhere: a recorded map site is reported, nothing is looked up
        // for accepted memory.
        var test = new Verify.Test
        {
            TestCode = """
                using System.Runtime.CompilerServices;
                namespace DmaSafe
                {
                    public sealed class DmaBufferAttribute : System.Attribute { }
                    public enum DmaDirection { Bidirectional, ToDevice, FromDevice, None }
                    public readonly struct DmaAddress { }
                    public unsafe sealed class DmaDevice
                    {
                        public DmaAddress MapSingle([DmaBuffer] void* p, nuint n, DmaDirection d, [CallerLineNumber] int line = 0) => default;
                        public bool MappingError(DmaAddress a) => false;
                    }
                }
                public static unsafe class Driver
                {
                    public static void Read(DmaSafe.DmaDevice dev, byte* p)
                    {
                        var a = {|#0:dev.MapSingle(p, 8, DmaSafe.DmaDirection.FromDevice)|};
                        if (dev.MappingError(a)) return;
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Infrastructure.TestReferences.FrameworkOnly);
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Profile("Read", 20, "Read", 17)));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(0)
            .WithArguments("4", "32", "a.dmabounces.json", "Read (Test0.cs:20)"));
        await test.RunAsync();
    }
}
