using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Infrastructure;

/// <summary>
/// The block scan finds its candidates from the places the tree's text names a sink instead of walking every node:
/// it must give exactly what the plain walk of every node gives, in the same order.
/// </summary>
public sealed class CodeBlockScanTests
{
    private const string Helpers = """
        using System;
        using DmaSafe;
        using E = DmaSafe.ScatterEntry;
        public unsafe class Bus
        {
            public static void Push([DmaBuffer] byte* p) { }
            public void Send([DmaBuffer] byte* p, int n) { }
            public Bus() { }
            public Bus([DmaBuffer] byte* p) { }
            public static Bus Make() => new Bus();
            public Bus Self() => this;
        }
        public unsafe class Derived : Bus
        {
            public Derived(byte* p) : base(p) { }
            public Derived() : this(null) { }
        }
        public unsafe class Primary(byte* p) : Bus(p)
        {
            private readonly Bus _bus = new Bus(p);
        }
        """;

    public static IEnumerable<object[]> Sources()
    {
        yield return new object[]
        {
            """
            using System;
            using DmaSafe;
            public static unsafe class Driver
            {
                private static readonly Func<int, int> Twice = x => x * 2;
                public static int Pushes { get; } = Count(() => { byte* b = stackalloc byte[4]; Bus.Push(b); });
                static int Count(Action a) { a(); return 1; }
                public static void Read(DmaDevice dev, Machine machine)
                {
                    byte* rx = stackalloc byte[8];
                    Bus.Push(rx);
                    Bus.Make().Self().Send(rx, Twice(Bus.Make() is null ? 1 : 2));
                    var bus = Bus.Make();
                    bus?.Send(rx, 8);
                    var a = dev.MapSingle(rx, 8, DmaDirection.FromDevice);
                    if (dev.MappingError(a)) return;
                    Local(rx);
                    Other(rx);
                    E entry = new(rx, 8);
                    var e2 = new E(rx, 8);
                    var e3 = new global::DmaSafe.ScatterEntry(rx, 8);
                    object gate = new();
                    Bus made = new(rx);
                    var f = (Action<byte*>)(p => Bus.Push(p));

                    void Local([DmaBuffer] byte* p) => Bus.Push(p);
                    static void Other([Obsolete] byte* p) { }
                    static void Third([System.Diagnostics.CodeAnalysis.NotNull] object? o) { o = new object(); }
                }

                public static string Name => nameof(Bus.Push) + nameof(DmaDevice.MapSingle);
                // Bus.Push(rx) in a comment, and "MapSingle" in a string
                private const string Text = "Bus.Push MapSingle new(x)";
            }
            """,
        };
        yield return new object[]
        {
            """
            namespace Outer
            {
                namespace Inner
                {
                    public unsafe class Nested
                    {
                        public class Deeper(byte* p) : Bus(p) { }
                        public void M(byte* p) { new Bus(p).Send(p, 1); Bus.Push(p); }
                        public int this[int i] { get { Bus.Push(null); return i; } }
                        public event System.Action? Changed { add { Bus.Push(null); } remove { } }
                    }
                }
            }
            """,
        };
        yield return new object[]
        {
            """
            public static class Quiet
            {
                public static int Add(int a, int b) => a + b;
                public static int[] Table = new int[16];
                public static object Gate = new();
            }
            """,
        };
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void FindsWhatTheWalkOfEveryNodeFinds(string source)
    {
        var compilation = TestReferences.Compile(TestReferences.All, Helpers, source);
        var symbols = DmaSymbols.TryCreate(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
        Assert.NotNull(symbols);
        var names = symbols!.CallNames(CancellationToken.None);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var root = tree.GetRoot();
            var expected = EveryNode(root, names, names.NamePositions(tree.GetText().ToString()));
            var found = CodeBlockScan.Of(root, names).Select(Describe).ToList();
            Assert.Equal(expected, found);
        }
    }

    [Fact]
    public void FindsTheCandidatesItShould()
    {
        var compilation = TestReferences.Compile(TestReferences.All, Helpers, (string)Sources().First()[0]);
        var symbols = DmaSymbols.TryCreate(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty))!;
        var names = symbols.CallNames(CancellationToken.None);
        var found = CodeBlockScan.Of(compilation.SyntaxTrees.Last().GetRoot(), names).Select(c => c.Node.ToString()).ToList();
        Assert.Contains("Bus.Push(rx)", found);
        Assert.Contains("dev.MapSingle(rx, 8, DmaDirection.FromDevice)", found);
        Assert.Contains("new(rx, 8)", found);
        Assert.Contains("new E(rx, 8)", found);
        Assert.Contains(".Send(rx, 8)", found);
        Assert.Contains(found, f => f.StartsWith("void Local(", System.StringComparison.Ordinal));
        Assert.DoesNotContain(found, f => f.Contains("Other(") && f.StartsWith("static void", System.StringComparison.Ordinal));
        Assert.DoesNotContain("new()", found);
        Assert.DoesNotContain(found, f => f.Contains("nameof"));
    }

    // The plain walk over every node, classified by the scan's own rule (this test is about which nodes the scan
    // visits), plus the scan's rule that a local helper counts only when its parameters' attributes can name DmaBuffer
    // (when the text narrowed the search at all).
    private static List<string> EveryNode(SyntaxNode root, SinkCallNames names, List<int>? positions)
    {
        var candidates = new List<CodeBlockScan.Candidate>();
        foreach (var node in root.DescendantNodes())
        {
            if (node is LocalFunctionStatementSyntax localFunction
                && positions is not null && !CodeBlockScan.HasPositionIn(positions, localFunction.ParameterList.Span))
            {
                continue;
            }

            CodeBlockScan.AddIfCandidate(node, names, candidates);
        }

        return candidates.Select(Describe).ToList();
    }

    private static string Describe(CodeBlockScan.Candidate candidate) =>
        $"{candidate.Node.Kind()} {candidate.Node.Span} sink={candidate.MayBeSink} map={candidate.IsMap}";
}
