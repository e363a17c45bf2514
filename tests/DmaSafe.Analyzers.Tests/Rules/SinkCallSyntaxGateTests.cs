using System.Threading.Tasks;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.StackMemoryToDeviceAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

/// <summary>
/// The block rules read a body's syntax before binding it and skip bodies that call no sink by name. These are the
/// calls whose syntax does not name the sink method plainly: each must still be seen (DMA003 stands for all of them).
/// </summary>
public sealed class SinkCallSyntaxGateTests
{
    private const string Usings = """
        using System;
        using DmaSafe;

        """;

    [Fact]
    public async Task DelegateWithDmaBufferParameter()
    {
        var source = Usings + """
            public unsafe delegate void Transfer([DmaBuffer] byte* buffer, int length);

            public static unsafe class Driver
            {
                public static void Read(Transfer run)
                {
                    byte* rx = stackalloc byte[8];
                    run({|#0:rx|}, 8);
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Transfer.Invoke"));
    }

    [Fact]
    public async Task LocalFunctionWithDmaBufferParameterCalledBeforeItsDeclaration()
    {
        var source = Usings + """
            public static unsafe class Driver
            {
                public static void Read()
                {
                    byte* rx = stackalloc byte[8];
                    Push({|#0:rx|});

                    static void Push([DmaBuffer] byte* buffer) { }
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Driver.Push"));
    }

    [Fact]
    public async Task AliasedScatterEntryAndTargetTypedNew()
    {
        var source = Usings + """
            using Entry = DmaSafe.ScatterEntry;

            public static unsafe class Driver
            {
                // Separate bodies: a body is bound whole once any call in it may be a sink, so each needs its own.
                public static void ReadAliased()
                {
                    byte* rx = stackalloc byte[8];
                    var first = new Entry({|#0:rx|}, 8);
                }

                public static void ReadTargetTyped()
                {
                    byte* rx = stackalloc byte[8];
                    ScatterEntry second = new({|#1:rx|}, 8);
                }
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "new ScatterEntry"),
            Verify.Diagnostic().WithLocation(1).WithArguments("This stackalloc buffer", "new ScatterEntry"));
    }

    [Fact]
    public async Task BaseConstructorWithDmaBufferParameter()
    {
        var source = Usings + """
            public unsafe class Request
            {
                public Request([DmaBuffer] byte* buffer) { }
            }

            public sealed unsafe class StatusRequest : Request
            {
                public StatusRequest(byte status) : base({|#0:&status|}) { }
            }

            public static unsafe class Driver
            {
                public static void Read()
                {
                    byte* rx = stackalloc byte[8];
                    _ = new Request({|#1:rx|});
                }
            }
            """;
        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic().WithLocation(0).WithArguments("The address of by-value parameter 'status'", "new Request"),
            Verify.Diagnostic().WithLocation(1).WithArguments("This stackalloc buffer", "new Request"));
    }

    [Fact]
    public async Task ExtensionCallAndAccessorBody()
    {
        var source = Usings + """
            public static class Bus
            {
                public static void Push([DmaBuffer] this Span<byte> data) { }
            }

            public sealed class Driver
            {
                public int Status
                {
                    get
                    {
                        Span<byte> rx = stackalloc byte[4];
                        {|#0:rx|}.Push();
                        return rx[0];
                    }
                }
            }
            """;
        await Verify.VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Bus.Push"));
    }

    [Fact]
    public async Task FileWhoseTextNamesNoSinkButCallsOneThroughAGlobalAliasOfTheAttribute()
    {
        // The driver file never says DmaBuffer, MapSingle or a helper's name: only another file's global alias does.
        var test = new Verify.Test
        {
            TestCode = """
                public static unsafe class Driver
                {
                    public static void Read()
                    {
                        byte* rx = stackalloc byte[8];
                        Push({|#0:rx|});

                        static void Push([Mark] byte* buffer) { }
                    }
                }
                """,
        };
        test.TestState.Sources.Add(("Aliases.cs", "global using Mark = DmaSafe.DmaBufferAttribute;\n"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Driver.Push"));
        await test.RunAsync();
    }
}
