using System.Threading.Tasks;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Dma002 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.KmallocNotLineAlignedAnalyzer>;
using Dma003 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.StackMemoryToDeviceAnalyzer>;
using Dma005 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.UncheckedMappingAnalyzer>;
using Dma006 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.UnmarkedSinkParameterAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

/// <summary>The rules on the syntax users write today: records, ref structs, generics, nested and file-local types, primary constructors.</summary>
public sealed class ModernSyntaxTests
{
    [Fact]
    public async Task RecordStructsAndRefStructs()
    {
        const string source = """
            using System;
            using DmaSafe;

            namespace Drivers.Modern;

            public readonly record struct Transfer(nint Buffer, nuint Length);

            public ref struct RxWindow(Span<byte> bytes)
            {
                public Span<byte> Bytes = bytes;
            }

            public static unsafe class Bus
            {
                public static void Post([DmaBuffer] Span<byte> data) { }

                public static void Run(Transfer t)
                {
                    Span<byte> local = stackalloc byte[32];
                    var window = new RxWindow(local);
                    Post({|#0:local.Slice(4)|});
                    Post(window.Bytes);
                    Post(new Span<byte>((void*)t.Buffer, (int)t.Length));
                }
            }
            """;
        await Dma003.VerifyAsync(source, Dma003.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Bus.Post"));
    }

    [Fact]
    public async Task GenericAndNestedTypesWithPrimaryConstructors()
    {
        const string source = """
            using DmaSafe;

            public sealed unsafe class Ring<T>(Machine machine, DmaDevice dev) where T : unmanaged
            {
                public sealed class Slot(Ring<T> owner)
                {
                    public DmaAddress Fill()
                    {
                        var p = {|#0:owner.Machine.Kmalloc(24)|};
                        var a = owner.Device.MapSingle(p, 24, DmaDirection.FromDevice);
                        return a;
                    }
                }

                public Machine Machine => machine;
                public DmaDevice Device => dev;
            }
            """;
        await Dma002.VerifyAsync(source, Dma002.Diagnostic().WithLocation(0).WithArguments("24", "32", "32", "128", "DmaDevice.MapSingle (line 10)"));
    }

    [Fact]
    public async Task FileLocalTypesAndExpressionBodies()
    {
        const string source = """
            using DmaSafe;

            file static unsafe class Helpers
            {
                public static DmaAddress Map(DmaDevice dev, void* {|#0:p|}) => dev.MapSingle(p, 64, DmaDirection.ToDevice);
            }
            """;
        await Dma006.VerifyAsync(source, Dma006.Diagnostic().WithLocation(0).WithArguments("p", "DmaDevice.MapSingle"));
    }

    [Fact]
    public async Task PatternsAndSwitchExpressionsAsChecks()
    {
        const string source = """
            using System;
            using DmaSafe;

            public static unsafe class Sg
            {
                public static int Map(DmaDevice dev, Span<ScatterEntry> list)
                {
                    var n = dev.MapSg(list, DmaDirection.ToDevice);
                    var ok = n switch { 0 => false, _ => true };
                    if (!ok) return 0;
                    dev.UnmapSg(list, DmaDirection.ToDevice);
                    return n;
                }
            }
            """;
        await Dma005.VerifyAsync(source);
    }

    [Fact]
    public async Task OwnAttributeCopiesWithoutTheRuntime()
    {
        // A project that cannot reference the runtime declares its own attribute in namespace DmaSafe.
        var test = new Dma003.Test
        {
            TestCode = """
                using System;
                namespace DmaSafe { [AttributeUsage(AttributeTargets.Parameter)] public sealed class DmaBufferAttribute : Attribute { } }

                public static unsafe class Hw
                {
                    public static void Kick([DmaSafe.DmaBuffer] void* p) { }
                    public static void Run() { byte* b = stackalloc byte[8]; Kick({|#0:b|}); }
                }
                """,
        };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AdditionalReferences.AddRange(TestReferences.FrameworkOnly);
        test.ExpectedDiagnostics.Add(Dma003.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Hw.Kick"));
        await test.RunAsync();
    }

    [Fact]
    public async Task OwnAttributeCopyAlongsideTheRuntime()
    {
        // Two DmaSafe.DmaBufferAttribute types (the runtime's and a local copy): both count.
        const string source = """
            using System;
            namespace Local { }
            namespace DmaSafe { [AttributeUsage(AttributeTargets.Parameter)] internal sealed class DmaBufferAttribute : Attribute { } }

            public static unsafe class Hw
            {
                public static void Kick([DmaSafe.DmaBuffer] void* p) { }
                public static void Run(DmaSafe.DmaDevice dev)
                {
                    byte* b = stackalloc byte[8];
                    Kick({|#0:b|});
                    dev.MapSingle({|#1:b|}, 8, DmaSafe.DmaDirection.FromDevice);
                }
            }
            """;
        var test = new Dma003.Test { TestCode = source };
        test.ExpectedDiagnostics.Add(Dma003.Diagnostic().WithLocation(0).WithArguments("This stackalloc buffer", "Hw.Kick"));
        test.ExpectedDiagnostics.Add(Dma003.Diagnostic().WithLocation(1).WithArguments("This stackalloc buffer", "DmaDevice.MapSingle"));
        // The local copy conflicts with the imported one (CS0436 warning): that is the user's situation, not a test error.
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        await test.RunAsync();
    }
}
