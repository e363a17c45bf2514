using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.BounceHotSpotAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

public sealed class Dma004Tests
{
    // Line numbers below are the lines of this source as the test compiles it (/0/Test0.cs).
    private const string Source = """
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

            public void Poll()
            {
                var a = {|#2:dev.MapSingle(_status, 8, DmaDirection.FromDevice)|};
                if (dev.MappingError(a)) return;
                dev.UnmapSingle(a, 8, DmaDirection.FromDevice);
            }
        }
        """;

    internal static string Site(string allocMember, int allocLine, string mapMember, int mapLine, long count, long bytes, string file = "/0/Test0.cs") => $$"""
        { "allocation": { "file": "{{file}}", "line": {{allocLine}}, "member": "{{allocMember}}" },
          "map": { "file": "{{file}}", "line": {{mapLine}}, "member": "{{mapMember}}" },
          "count": {{count}}, "bytes": {{bytes}}, "directions": { "FromDevice": {{count}} } }
        """;

    internal static string Profile(params string[] sites) =>
        "{ \"schema\": \"dmasafe.bounces/1\", \"lineSize\": 128, \"sites\": [" + string.Join(",", sites) + "] }";

    [Fact]
    public async Task ReportsAllocationAndMapSitesWithCounts()
    {
        var test = new Verify.Test { TestCode = Source };
        test.TestState.AdditionalFiles.Add(("/0/run1.dmabounces.json", Profile(Site("Probe", 9, "Read", 14, 1200, 9600), Site("Probe", 9, "Poll", 21, 30, 240))));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithLocation(0)
            .WithArguments("1230", "9840", "run1.dmabounces.json", "Read (Test0.cs:14) and 1 more"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(1)
            .WithArguments("1200", "9600", "run1.dmabounces.json", "Probe (Test0.cs:9)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(2)
            .WithArguments("30", "240", "run1.dmabounces.json", "Probe (Test0.cs:9)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task StaleLinesAndOtherMembersAreIgnored()
    {
        // Line 14 now holds Read's map call but the profile says Poll: the code moved since the run, so stay quiet.
        var test = new Verify.Test { TestCode = Source.Replace("{|#0:", string.Empty).Replace("{|#1:", string.Empty).Replace("{|#2:", string.Empty).Replace(")|}", ")") };
        test.TestState.AdditionalFiles.Add(("/0/run1.dmabounces.json", Profile(Site("Probe", 12, "Poll", 14, 5, 40))));
        await test.RunAsync();
    }

    [Fact]
    public async Task ProfilesFromAnotherMachineMatchByTrailingPath()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("/repo/src/Driver.cs", Source.Replace("{|#0:machine.Kmalloc(8)|}", "machine.Kmalloc(8)").Replace("{|#2:dev.MapSingle(_status, 8, DmaDirection.FromDevice)|}", "dev.MapSingle(_status, 8, DmaDirection.FromDevice)")));
        test.TestState.AdditionalFiles.Add(("/repo/ci.dmabounces.json", Profile(Site("Probe", 9, "Read", 14, 7, 56, "/home/runner/work/repo/src/Driver.cs"))));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithSpan("/repo/src/Driver.cs", 14, 17, 14, 67)
            .WithArguments("7", "56", "ci.dmabounces.json", "Probe (Driver.cs:9)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithSpan("/repo/src/Driver.cs", 9, 26, 9, 44)
            .WithArguments("7", "56", "ci.dmabounces.json", "Read (Driver.cs:14)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task SeveralProfilesAddUp()
    {
        var test = new Verify.Test();
        test.TestCode = """
            using DmaSafe;
            public static unsafe class Driver
            {
                public static void Read(Machine machine, DmaDevice dev)
                {
                    var p = {|#0:machine.Kmalloc(8)|};
                    var a = {|#1:dev.MapSingle(p, 8, DmaDirection.FromDevice)|};
                }
            }
            """;
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Profile(Site("Read", 6, "Read", 7, 3, 24))));
        test.TestState.AdditionalFiles.Add(("/0/b.dmabounces.json", Profile(Site("Read", 6, "Read", 7, 4, 32))));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithLocation(0)
            .WithArguments("7", "56", "a.dmabounces.json, b.dmabounces.json", "Read (Test0.cs:7)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(1)
            .WithArguments("7", "56", "a.dmabounces.json, b.dmabounces.json", "Read (Test0.cs:6)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task BounceOkSilences()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using DmaSafe;
                [DmaBounceOk("tiny status byte, polled rarely")]
                public static unsafe class Driver
                {
                    public static void Read(Machine machine, DmaDevice dev)
                    {
                        var p = machine.Kmalloc(8);
                        var a = dev.MapSingle(p, 8, DmaDirection.FromDevice);
                    }
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Profile(Site("Read", 7, "Read", 8, 3, 24))));
        await test.RunAsync();
    }

    [Fact]
    public async Task BounceOkOnTheFieldOrStructSilencesItsSites()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using DmaSafe;
                [DmaBounceOk] public unsafe struct Status { public int Flags; public fixed byte Bytes[4]; }
                public sealed unsafe class Driver(Machine machine, DmaDevice dev)
                {
                    [DmaBounceOk("one byte, rarely")] private byte* _poll;
                    private Status* _status;
                    public void Probe()
                    {
                        _poll = (byte*)machine.Kmalloc(1);
                        _status = machine.Kmalloc<Status>();
                    }
                    public void Read()
                    {
                        var a = dev.MapSingle(_poll, 1, DmaDirection.FromDevice);
                        var b = dev.MapSingle(_status->Bytes, 4, DmaDirection.FromDevice);
                        var c = {|#0:dev.MapSingle((byte*)_status, 8, DmaDirection.FromDevice)|};
                    }
                }
                """,
        };
        test.TestState.AdditionalFiles.Add(("/0/a.dmabounces.json", Profile(
            Site("Probe", 9, "Read", 14, 1, 1),
            Site("Probe", 10, "Read", 15, 2, 8),
            Site("Probe", 10, "Read", 16, 3, 24))));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotMap).WithLocation(0)
            .WithArguments("3", "24", "a.dmabounces.json", "Probe (Test0.cs:10)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.BounceHotSpotAllocation).WithSpan(10, 19, 10, 44)
            .WithArguments("5", "32", "a.dmabounces.json", "Read (Test0.cs:16) and 1 more"));
        await test.RunAsync();
    }

    [Fact]
    public async Task MalformedProfileContributesNothingAndDoesNotCrash()
    {
        var test = new Verify.Test { TestCode = "public class C { }" };
        test.TestState.AdditionalFiles.Add(("/0/broken.dmabounces.json", "{ \"schema\": \"dmasafe.bounces/1\", \"sites\": [ {"));
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Infrastructure.TestReferences.All);
        await test.RunAsync();
    }
}
