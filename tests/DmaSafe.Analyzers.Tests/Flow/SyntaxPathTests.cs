using Xunit;

namespace DmaSafe.Analyzers.Tests.Flow;

/// <summary>
/// The syntax path (bodies decided by syntax and symbol lookups, no operation tree) against the operation path: for
/// every shape, the blocks and sink uses are identical, and the shapes the syntax path is meant to take are taken by it
/// (those it leaves to the operation path are pinned too, so a change of coverage shows).
/// </summary>
public sealed class SyntaxPathTests
{
    private const string Prelude = FlowPrelude.Structs + """
        public static unsafe class Bus
        {
            public static void Send([DmaBuffer] void* p, nuint n, DmaDirection d) { }
            public static void SendSpan([DmaBuffer] Span<byte> s) { }
            public static void SendHandle([DmaBuffer] nint p) { }
            public static void SendRef([DmaBuffer] ref byte b) { }
            public static void Push([DmaBuffer] this Span<byte> data) { }
            public static int Count(this Span<byte> data) => data.Length;
        }

        """;

    private static void AssertSame(string source, int decidedBySyntax)
    {
        var (syntax, operations) = SyntaxPathHelper.ReadBothWays(source);
        Assert.Equal(operations.Blocks, syntax.Blocks);
        Assert.Equal(0, operations.DecidedBySyntax);
        Assert.Equal(decidedBySyntax, syntax.DecidedBySyntax);
    }

    private static string InM(string body, string parameters = "Machine m, DmaDevice dev") =>
        Prelude + "public static unsafe class C { public static void M(" + parameters + ") { " + body + " } }";

    /// <summary>Shapes syntax decides: the same paths as the operation walk, without its tree.</summary>
    [Theory]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(st->Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(&st->Status, 4, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send((void*)(st->Rx + 8), 8, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(st->Inner.Buf, 64, DmaDirection.ToDevice);")]
    [InlineData("var st = (State*)m.Kmalloc(256); byte* p = st->Rx; void* q = p; Bus.Send(q, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(&st->Tx, 32, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(st->Ext, 32, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendHandle((nint)st->Rx);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendHandle(new IntPtr(st->Rx));")]
    [InlineData("var st = m.Kmalloc<State>(); nint h = (nint)st->Rx; Bus.Send((void*)h, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); nint h = (nint)st->Rx; Bus.Send(h.ToPointer(), 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendSpan(new Span<byte>(st->Rx, 64));")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(&st->Inner.Buf[0], 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(&st->Inner.Buf[4], 60, DmaDirection.FromDevice);")]
    [InlineData("var p = m.Kmalloc(100); Bus.Send(p, 100, DmaDirection.FromDevice);")]
    [InlineData("var p = (byte*)m.Kmalloc(16, Gfp.Kernel | Gfp.DmaAligned); Bus.Send(p + 0, 16, (DmaDirection)2);")]
    [InlineData("var p = (byte*)m.Kzalloc(96); Bus.Send(p - 1, 16, 0);")]
    [InlineData("byte* p = stackalloc byte[64]; Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("Span<byte> s = stackalloc byte[64]; Bus.SendSpan(s);")]
    [InlineData("int x = 0; Bus.Send(&x, 4, DmaDirection.FromDevice);")]
    [InlineData("State s = default; Bus.Send(s.Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("State s = default; Bus.Send(&s.Inner, 68, DmaDirection.FromDevice);")]
    [InlineData("State s = default; Bus.SendRef(ref *s.Rx);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendRef(ref st->Rx[3]);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(st->Rx, 64, DmaDirection.FromDevice); Bus.Send(&st->Status, 4, DmaDirection.ToDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); var a = dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); if (dev.MappingError(a)) { return; } dev.UnmapSingle(a, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); var a = dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); if (!(dev.MappingError(a))) { dev.UnmapSingle(a, 64, DmaDirection.FromDevice); }")]
    [InlineData("var st = m.Kmalloc<State>(); var @a = dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); if (dev.MappingError(@a)) { return; } dev.UnmapSingle(a, 64, DmaDirection.FromDevice);")]
    [InlineData("var p = m.Kmalloc(16); Span<ScatterEntry> list = stackalloc ScatterEntry[1]; list[0] = new ScatterEntry(p, 16); var n = dev.MapSg(list, DmaDirection.FromDevice); if (n == 0) { return; }")]
    [InlineData("var st = m.Kmalloc<State>(); Action<nint> send = Bus.SendHandle; send((nint)st->Rx); Bus.Send(st->Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("Span<byte> rx = stackalloc byte[4]; Bus.SendSpan(rx); _ = rx.Count();")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p = st->Rx; int pp = 0; pp = 1; var s = \"p = 1\"; /* p = null; */ Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); /* (a) */ Bus.Send((byte*)(st->Rx), 64, DmaDirection.FromDevice); // done (b)\n var n = (int)(1 + 2);")]
    public void DecidedBySyntax(string body) => AssertSame(InM(body), decidedBySyntax: 1);

    [Theory]
    [InlineData("Bus.Send(st->Inner.Buf, 64, DmaDirection.FromDevice);", "State* st, DmaDevice dev")]
    [InlineData("Bus.Send((byte*)p + 16, 64, DmaDirection.FromDevice);", "void* p, DmaDevice dev")]
    [InlineData("Bus.Send(s.Rx, 64, DmaDirection.FromDevice);", "State s, DmaDevice dev")]
    [InlineData("Bus.Send(p, 64, d);", "byte* p, DmaDirection d")]
    [InlineData("Bus.SendRef(ref b);", "ref byte b")]
    public void ParametersDecidedBySyntax(string body, string parameters) => AssertSame(InM(body, parameters), decidedBySyntax: 1);

    /// <summary>Shapes the syntax path leaves to the operation path: the results are the operation path's own.</summary>
    [Theory]
    [InlineData("var st = m.Kmalloc<State>(); var p = st->Rx; p = st->Inner.Buf; Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p; p = st->Rx; Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p = st->Rx; Bus.Send(p, 64, DmaDirection.FromDevice); Use(out p); static void Use(out byte* q) { q = null; }")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p = st->Rx; byte** pp = &p; Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p = st->Rx; p++; Bus.Send(p, 63, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p = st->Rx; @p = st->Inner.Buf; Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p = st->Rx; \\u0070 = st->Inner.Buf; Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); byte* p = st->Rx; Action a = () => { (p) = null; }; Bus.Send(p, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Span<byte> s = st->Tx; Bus.SendSpan(s.Slice(4));")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.SendSpan(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref st->Status, 1)));")]
    [InlineData("var st = m.Kmalloc<State>(); Action a = () => Bus.Send(st->Rx, 64, DmaDirection.FromDevice); a();")]
    [InlineData("var st = m.Kmalloc<State>(); var a = dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); dev.UnmapSingle(a, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); var a = dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); var b = 1; if (dev.MappingError(a)) { return; }")]
    [InlineData("var st = m.Kmalloc<State>(); dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); var b = dev.MapSingle(&st->Status, 4, DmaDirection.ToDevice); var a = dev.MapSingle(st->Rx, 64, DmaDirection.FromDevice); if (dev.MappingError(b)) { return; }")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(p: st->Rx, n: 64, d: DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Bus.Send(st == null ? null : st->Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("byte[] a = new byte[8]; fixed (byte* p = a) { Bus.Send(p, 8, DmaDirection.FromDevice); }")]
    [InlineData("Span<byte> rx = stackalloc byte[4]; rx.Push();")]
    [InlineData("var st = m.Kmalloc<State>(); Action<nint>[] sends = { Bus.SendHandle }; sends[0]((nint)st->Rx); Bus.Send(st->Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Action<nint>[] sends = { Bus.SendHandle }; sends[0] /* next */ ((nint)st->Rx); Bus.Send(st->Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Action<nint>[] sends = { Bus.SendHandle }; sends[0] // next\n ((nint)st->Rx); Bus.Send(st->Rx, 64, DmaDirection.FromDevice);")]
    [InlineData("var st = m.Kmalloc<State>(); Action<nint>[] sends = { Bus.SendHandle }; (sends[0])((nint)st->Rx); Bus.Send(st->Rx, 64, DmaDirection.FromDevice);")]
    public void LeftToTheOperationPath(string body) => AssertSame(InM(body), decidedBySyntax: 0);

    [Fact]
    public void StructInstanceMethodAndFieldsThroughThis()
    {
        AssertSame(Prelude + """
            public unsafe struct C
            {
                public byte Status;
                public byte Head;
                public void M() { Bus.SendRef(ref Status); Bus.SendRef(ref this.Head); }
            }
            """, decidedBySyntax: 1);
    }

    [Fact]
    public void ClassFieldsAndStaticsDecidedBySyntax()
    {
        AssertSame(Prelude + """
            public sealed unsafe class C
            {
                private static State s_state;
                private State* _state;
                private byte* _buffer;
                public void M()
                {
                    Bus.Send(_state->Rx, 64, DmaDirection.FromDevice);
                    Bus.Send(_buffer, 64, DmaDirection.FromDevice);
                    Bus.SendRef(ref s_state.Rx[0]);
                }
            }
            """, decidedBySyntax: 1);
    }

    [Fact]
    public void EachBodyDecidedOnItsOwn()
    {
        // Three bodies: a method and an accessor syntax decides, a method with a lambda it leaves; and a field
        // initializer, which is never a syntax body.
        AssertSame(Prelude + """
            public sealed unsafe class C
            {
                private State* _state;
                private static readonly nint s_handle = Make();
                private static nint Make() { var p = stackalloc byte[4]; Bus.SendHandle((nint)p); return 0; }
                public int P { get { Bus.Send(_state->Rx, 64, DmaDirection.FromDevice); return 0; } }
                public void Lambda() { Action a = () => Bus.Send(_state->Rx, 64, DmaDirection.FromDevice); }
                public void Local() { void F() => Bus.Send(_state->Rx, 64, DmaDirection.ToDevice); F(); }
            }
            """, decidedBySyntax: 2);
    }

    [Fact]
    public void ConstructorsAndObjectCreationSinks()
    {
        AssertSame(Prelude + """
            public sealed unsafe class Port
            {
                public Port([DmaBuffer] byte* buffer, DmaDirection direction) { }
            }

            public sealed unsafe class C
            {
                private State* _state;
                public C(Machine m) { _state = m.Kzalloc<State>(); var port = new Port(_state->Rx, DmaDirection.FromDevice); Port other = new(_state->Inner.Buf, DmaDirection.ToDevice); }
            }
            """, decidedBySyntax: 1);
    }
}
