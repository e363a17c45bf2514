using System.Linq;
using DmaSafe.Analyzers.Flow;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Flow;

/// <summary>The sink data flow: what reaches a sink, as root + field chain (the contract DMA001 and the fixes rely on).</summary>
public sealed class AccessPathTests
{
    private const string Prelude = FlowPrelude.Structs + """
        public static unsafe class Bus
        {
            public static void Send([DmaBuffer] void* p, nuint n, DmaDirection d) { }
            public static void SendSpan([DmaBuffer] Span<byte> s) { }
            public static void SendHandle([DmaBuffer] nint p) { }
        }

        """;

    private static string Single(string body, string parameters = "Machine m, DmaDevice dev") =>
        FlowTestHelper.Describe(FlowTestHelper.SinkUsesOfM(Prelude + "public static unsafe class C { public static void M(" + parameters + ") { " + body + " } }").Single());

    [Theory]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Rx")]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle(&st->Status, 4, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Status")]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle((void*)(st->Rx + 8), 8, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Rx+")]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle(st->Inner.Buf, 64, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Inner.Buf")]
    [InlineData("var st = (State*)m.Kmalloc(256); byte* p = st->Rx; void* q = p; dev.MapSingle(q, 64, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Rx")]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle(&st->Tx, 32, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Tx")]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle(st->Ext, 32, DmaDirection.FromDevice);", "Field:Ext")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendHandle((nint)st->Rx);", "Kmalloc:kmalloc->Rx")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendHandle(new IntPtr(st->Rx));", "Kmalloc:kmalloc->Rx")]
    [InlineData("var st = m.Kmalloc<State>(); nint h = (nint)st->Rx; dev.MapSingle((void*)h, 64, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Rx")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendSpan(new Span<byte>(st->Rx, 64));", "Kmalloc:kmalloc->Rx")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendSpan(MemoryMarshal.CreateSpan(ref st->Status, 1).Length == 0 ? default : MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref st->Status, 1)));", "Unknown:?")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendSpan(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref st->Status, 1)));", "Kmalloc:kmalloc->Status")]
    [InlineData("var st = m.Kmalloc<State>(); Span<byte> s = st->Tx; Bus.SendSpan(s.Slice(4));", "Kmalloc:kmalloc->Tx+")]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle(&st->Inner.Buf[0], 64, DmaDirection.FromDevice);", "Kmalloc:kmalloc->Inner.Buf")]
    [InlineData("var p = m.Kmalloc(100); dev.MapSingle(p, 100, DmaDirection.FromDevice);", "Kmalloc:kmalloc")]
    [InlineData("byte* p = stackalloc byte[64]; dev.MapSingle(p, 64, DmaDirection.FromDevice);", "Stackalloc:stackalloc")]
    [InlineData("Span<byte> s = stackalloc byte[64]; Bus.SendSpan(s);", "Stackalloc:stackalloc")]
    [InlineData("int x = 0; dev.MapSingle(&x, 4, DmaDirection.FromDevice);", "StackVariable:x")]
    [InlineData("State s = default; dev.MapSingle(s.Rx, 64, DmaDirection.FromDevice);", "StackVariable:s.Rx")]
    [InlineData("State s = default; Bus.SendSpan(s.Tx);", "StackVariable:s.Tx")]
    [InlineData("State s = default; dev.MapSingle(&s.Inner, 68, DmaDirection.FromDevice);", "StackVariable:s.Inner")]
    [InlineData("var st = m.Kmalloc<State>(); var p = st->Rx; p = st->Inner.Buf; dev.MapSingle(p, 64, DmaDirection.FromDevice);", "Local:p")]
    public void Paths(string body, string expected) => Assert.Equal(expected, Single(body));

    [Fact]
    public void ParameterRootKeepsTheFieldChain() =>
        Assert.Equal("Parameter:st->Inner.Buf", Single("dev.MapSingle(st->Inner.Buf, 64, DmaDirection.FromDevice);", "State* st, DmaDevice dev"));

    [Fact]
    public void ParameterItself() =>
        Assert.Equal("Parameter:p+", Single("dev.MapSingle((byte*)p + 16, 64, DmaDirection.FromDevice);", "void* p, DmaDevice dev"));

    [Fact]
    public void ByValueStructParameterIsStack() =>
        Assert.Equal("StackVariable:s.Rx", Single("dev.MapSingle(s.Rx, 64, DmaDirection.FromDevice);", "State s, DmaDevice dev"));

    [Fact]
    public void FixedStatementOverAManagedField()
    {
        var uses = FlowTestHelper.SinkUsesOfM(Prelude + """
            public sealed unsafe class C
            {
                private State _state;
                public void M(DmaDevice dev) { fixed (byte* p = _state.Rx) { dev.MapSingle(p, 64, DmaDirection.ToDevice); } }
            }
            """);
        var use = Assert.Single(uses);
        Assert.Equal("Field:_state.Rx", FlowTestHelper.Describe(use));
        Assert.Equal(MappedDirection.ToDevice, use.Direction);
    }

    [Fact]
    public void StructThisRoot()
    {
        var uses = FlowTestHelper.SinkUsesOfM(Prelude + """
            public unsafe struct C
            {
                public int Status;
                public fixed byte Buf[64];
                public void M(DmaDevice dev) { fixed (byte* p = Buf) { dev.MapSingle(p, 64, DmaDirection.FromDevice); } }
            }
            """);
        Assert.Equal("This:?.Buf", FlowTestHelper.Describe(Assert.Single(uses)));
    }

    [Fact]
    public void DirectionIsNullWhenNotConstant()
    {
        var uses = FlowTestHelper.SinkUsesOfM(Prelude + "public static unsafe class C { public static void M(Machine m, DmaDevice dev, DmaDirection d) { var st = m.Kmalloc<State>(); dev.MapSingle(st->Rx, 64, d); } }");
        Assert.Null(Assert.Single(uses).Direction);
    }

    [Fact]
    public void PointedAtTypeComesFromTheCast()
    {
        var uses = FlowTestHelper.SinkUsesOfM(Prelude + "public static unsafe class C { public static void M(Machine m, DmaDevice dev) { var st = (State*)m.Kmalloc(256); dev.MapSingle(st, 256, DmaDirection.FromDevice); } }");
        var path = Assert.Single(uses).Path;
        Assert.Equal("State", path.PointedAtType?.Name);
        Assert.Equal(AccessRootKind.Kmalloc, path.RootKind);
    }

    [Fact]
    public void ScatterEntryConstructorIsASink()
    {
        var uses = FlowTestHelper.SinkUsesOfM(Prelude + "public static unsafe class C { public static void M(Machine m, DmaDevice dev) { var st = m.Kmalloc<State>(); var e = new ScatterEntry(st->Rx, 64); } }");
        Assert.Equal("Kmalloc:kmalloc->Rx", FlowTestHelper.Describe(Assert.Single(uses)));
    }

    [Fact]
    public void SelfReferentialLocalsTerminate()
    {
        var uses = FlowTestHelper.SinkUsesOfM(Prelude + "public static unsafe class C { public static void M(DmaDevice dev) { byte* p = null; byte* q = p; dev.MapSingle(q, 1, DmaDirection.FromDevice); } }");
        Assert.Single(uses);
    }
}
