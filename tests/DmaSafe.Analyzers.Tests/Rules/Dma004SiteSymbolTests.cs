using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.BounceHotSpotAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

/// <summary>
/// DMA004 rules calls on a recorded line out by the method they bind to before it builds any operation: these pin
/// what that must not change (helpers taking caller information, extension calls, calls that pass the line themselves).
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
}
