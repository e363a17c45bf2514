using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Dma001;

/// <summary>DMA001 never throws: on the prefixes of a driver file that cut declarations mid-way, and on wrong code.</summary>
public sealed class Dma001RobustnessTests
{
    private const string Driver = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Runtime.InteropServices;
        using DmaSafe;

        [InlineArray(16)] public struct Cmd { private byte _e; }
        public unsafe struct Inner { public short seq; public fixed byte buf[32]; }
        [DmaAligned, StructLayout(LayoutKind.Explicit, Size = 384)]
        public unsafe struct State
        {
            [FieldOffset(0)] public int status;
            [FieldOffset(8)] public Inner inner;
            [FieldOffset(128)] [DmaBuffer] public fixed byte rx[128];
            [FieldOffset(256)] public Cmd tx;
        }
        public record struct Rec(int A, long B) { public Cmd C; }
        public static unsafe class Spi
        {
            public static int Transfer(Machine m, DmaDevice dev, DmaDirection dir)
            {
                var st = m.Kmalloc<State>();
                var a = dev.MapSingle(st->rx, 128, DmaDirection.FromDevice);
                if (dev.MappingError(a)) return -1;
                dev.MapSingle(st->inner.buf, 32, dir);
                dev.MapSingle(&st->tx, 16, DmaDirection.ToDevice);
                var r = (Rec*)m.Kmalloc(64);
                dev.MapSingle(&r->C, 16, DmaDirection.FromDevice);
                return 0;
            }
        }
        """;

    [Fact]
    public async Task Prefixes_of_a_driver_file_analyze_without_exceptions()
    {
        // Every character's prefix is covered, for all analyzers, by Meta.RobustnessTests; here the cuts fall where DMA001's
        // inputs change shape (after each token that closes or opens a declaration, argument list or attribute).
        var cuts = new SortedSet<int> { 0 };
        for (var i = 0; i < Driver.Length; i++)
        {
            if (Driver[i] is '\n' or ';' or '{' or '}' or '(' or '[')
            {
                cuts.Add(i + 1);
            }
        }

        foreach (var cut in cuts)
        {
            await AssertNoAnalyzerExceptionAsync(Driver.Substring(0, cut));
        }

        // The whole file is analyzed for real: inner.buf (direction unknown) and Rec.C are reported, rx and tx are not.
        var whole = await AssertNoAnalyzerExceptionAsync(Driver);
        Assert.Equal(new[] { "buf", "C" }, whole.Where(d => d.Id == "DMA001").Select(d => d.Location.SourceTree!.ToString().Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)).ToArray());
    }

    [Theory]
    [InlineData("public unsafe struct A { public B b; [DmaBuffer] public fixed byte rx[8]; } public struct B { public A a; }")]
    [InlineData("[StructLayout(LayoutKind.Explicit)] public unsafe struct A { public int x; [DmaBuffer] public fixed byte rx[8]; }")]
    [InlineData("[StructLayout(LayoutKind.Sequential, Pack = 3)] public unsafe struct A { [DmaBuffer] public fixed byte rx[8]; }")]
    [InlineData("public unsafe struct A { [DmaBuffer] public fixed Missing rx[8]; }")]
    [InlineData("public unsafe struct A { [DmaBuffer] public fixed byte rx[-1]; }")]
    [InlineData("[InlineArray(0)] public struct A { [DmaBuffer] public byte x; public byte y; }")]
    [InlineData("[StructLayout((LayoutKind)77)] public unsafe struct A { [DmaBuffer] public fixed byte rx[8]; }")]
    [InlineData("public unsafe struct A<T> { public T t; [DmaBuffer] public fixed byte rx[8]; } public static unsafe class C { static void M(A<int>* a, DmaDevice d) => d.MapSingle(a->rx, 8, (DmaDirection)9); }")]
    public Task Wrong_code_analyzes_without_exceptions(string declarations) => (Task)
        AssertNoAnalyzerExceptionAsync("using System; using System.Runtime.CompilerServices; using System.Runtime.InteropServices; using DmaSafe;\n" + declarations);

    private static async Task<ImmutableArray<Diagnostic>> AssertNoAnalyzerExceptionAsync(string source)
    {
        var exceptions = new List<Exception>();
        var compilation = TestReferences.Compile(TestReferences.All, source);
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, _, _) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BufferSharesCacheLineAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync();
        Assert.True(exceptions.Count == 0, $"analyzer threw on:\n{source}\n{string.Join("\n", exceptions)}");
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }
}
