using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.ConfigurationAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

public sealed class Dma900Tests
{
    private const string UsesRuntime = "public sealed class C { public DmaSafe.Machine? M; }";

    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("1048576")]
    [InlineData("abc")]
    [InlineData("-128")]
    public async Task AbsurdLineSizesFallBackAndAreReportedOnce(string value)
    {
        var test = new Verify.Test { TestCode = UsesRuntime + "\npublic sealed class D { }", EditorConfig = "dmasafe.dma_minalign = " + value };
        test.TestState.Sources.Add(("/0/Other.cs", "public sealed class E { }"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.InvalidOption)
            .WithArguments($"'dmasafe.dma_minalign = {value}' is not a power of two between 16 and 4096; using 128"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("64")]
    [InlineData("0x80")]
    [InlineData(" 256 ")]
    public async Task SensibleLineSizesAreAccepted(string value) =>
        await new Verify.Test { TestCode = UsesRuntime, GlobalConfig = "dmasafe.dma_minalign = " + value }.RunAsync();

    [Fact]
    public async Task KmallocMinAlignIsValidatedToo()
    {
        var test = new Verify.Test { TestCode = UsesRuntime, GlobalConfig = "dmasafe.kmalloc_minalign = 12" };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.InvalidOption)
            .WithArguments("'dmasafe.kmalloc_minalign = 12' is not a power of two between 8 and 4096; using 8"));
        await test.RunAsync();
    }

    [Fact]
    public async Task UnknownSinkIdIsReported()
    {
        var test = new Verify.Test { TestCode = UsesRuntime, EditorConfig = "dmasafe.dma_sinks = M:Ixy.Memory.VirtToPhys(System.IntPtr), M:System.String.Concat(System.String,System.String)" };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.InvalidOption)
            .WithArguments("'dmasafe.dma_sinks' entry 'M:Ixy.Memory.VirtToPhys(System.IntPtr)' names no method of this compilation or its references (expected a documentation-comment ID such as M:Ixy.Memory.VirtToPhys(System.IntPtr))"));
        await test.RunAsync();
    }

    [Fact]
    public async Task MalformedProfileIsReportedOnTheFile()
    {
        var test = new Verify.Test { TestCode = UsesRuntime };
        test.TestState.AdditionalFiles.Add(("/0/run.dmabounces.json", "{ \"schema\": \"dmasafe.bounces/1\", \"sites\": [ {"));
        test.TestState.AdditionalFiles.Add(("/0/notes.json", "not a profile, not our business"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.InvalidProfile).WithSpan("/0/run.dmabounces.json", 1, 1, 1, 1)
            .WithArguments("run.dmabounces.json", "not valid JSON (expected a member name in double quotes at line 1, column 46)"));
        await test.RunAsync();
    }

    [Fact]
    public async Task ForeignProfileIsReported()
    {
        var test = new Verify.Test { TestCode = UsesRuntime };
        test.TestState.AdditionalFiles.Add(("/0/old.dmabounces.json", "{ \"schema\": \"other.tool/3\", \"sites\": [] }"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(Descriptors.InvalidProfile).WithSpan("/0/old.dmabounces.json", 1, 1, 1, 1)
            .WithArguments("old.dmabounces.json", "schema \"other.tool/3\" is not supported; this analyzer reads \"dmasafe.bounces/1\""));
        await test.RunAsync();
    }

    [Fact]
    public async Task ProjectsWithoutDmaSafeHearNothing()
    {
        var test = new Verify.Test { TestCode = "public sealed class C { }", EditorConfig = "dmasafe.dma_minalign = 3" };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(Infrastructure.TestReferences.FrameworkOnly);
        await test.RunAsync();
    }
}
