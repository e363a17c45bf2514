using System.Threading.Tasks;
using Xunit;
using static DmaSafe.Analyzers.Tests.Dma001.Dma001Verify;

namespace DmaSafe.Analyzers.Tests.Dma001;

/// <summary>DMA001 on fields found through the sink data flow: what is reported, where, and with which words.</summary>
public sealed class Dma001MappedFieldTests
{
    private const string NotAligned72 = "'State' is not [DmaAligned], so nothing places it on a 128-byte boundary";

    [Fact]
    public Task The_classic_anti_pattern_is_reported_on_the_field_with_the_sink_call() => VerifyAsync(
        """
        public unsafe struct State { public int status; public fixed byte {|#0:rx|}[64]; public int count; }
        public static unsafe class Driver
        {
            public static void Read(Machine m, DmaDevice dev)
            {
                var st = m.Kmalloc<State>();
                var a = {|#1:dev.MapSingle(st->rx, 64, DmaDirection.FromDevice)|};
            }
        }
        """,
        At("rx", "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4), 'count' [68..72); " + NotAligned72, sinkCalls: 1));

    [Fact]
    public Task A_field_mapped_only_ToDevice_is_exempt() => VerifyAsync(
        """
        public unsafe struct State { public int status; public fixed byte tx[64]; public int count; }
        public static unsafe class Driver
        {
            public static void Write(Machine m, DmaDevice dev)
            {
                var st = m.Kmalloc<State>();
                dev.MapSingle(st->tx, 64, DmaDirection.ToDevice);
                dev.MapSingle(st->tx, 32, DmaDirection.ToDevice);
            }
        }
        """);

    [Fact]
    public Task One_risky_mapping_among_ToDevice_ones_is_reported_at_that_call_only() => VerifyAsync(
        """
        public unsafe struct State { public int status; public fixed byte {|#0:buf|}[64]; }
        public static unsafe class Driver
        {
            public static void Io(Machine m, DmaDevice dev)
            {
                var st = m.Kmalloc<State>();
                dev.MapSingle(st->buf, 64, DmaDirection.ToDevice);
                {|#1:dev.MapSingle(st->buf, 64, DmaDirection.Bidirectional)|};
            }
        }
        """,
        At("buf", "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4); " + NotAligned72, sinkCalls: 1));

    [Fact]
    public Task A_direction_that_is_not_constant_counts_as_risky() => VerifyAsync(
        """
        public unsafe struct State { public int status; public fixed byte {|#0:buf|}[64]; }
        public static unsafe class Driver
        {
            public static void Io(Machine m, DmaDevice dev, DmaDirection direction)
            {
                var st = m.Kmalloc<State>();
                {|#1:dev.MapSingle(st->buf, 64, direction)|};
            }
        }
        """,
        At("buf", "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4); " + NotAligned72, sinkCalls: 1));

    [Fact]
    public Task Two_mappings_report_once_with_both_calls() => VerifyAsync(
        """
        public unsafe struct State { public int status; public fixed byte {|#0:rx|}[64]; }
        public static unsafe class Driver
        {
            public static void A(Machine m, DmaDevice dev) { var st = m.Kmalloc<State>(); {|#1:dev.MapSingle(st->rx, 64, DmaDirection.FromDevice)|}; }
            public static void B(State* st, DmaDevice dev) { {|#2:dev.MapSingle(st->rx, 64, DmaDirection.FromDevice)|}; }
        }
        """,
        At("rx", "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4); " + NotAligned72, sinkCalls: 2));

    [Fact]
    public Task Hand_padded_DmaAligned_struct_is_clean() => VerifyAsync(
        """
        [DmaAligned]
        [StructLayout(LayoutKind.Sequential, Size = 384)]
        public unsafe struct State { public int status; private fixed byte _pad0[124]; public fixed byte rx[128]; public int count; }
        public static unsafe class Driver
        {
            public static void Read(Machine m, DmaDevice dev) { var st = m.Kmalloc<State>(); dev.MapSingle(st->rx, 128, DmaDirection.FromDevice); }
        }
        """);

    [Fact]
    public Task Explicit_DmaAligned_struct_is_clean() => VerifyAsync(
        """
        [DmaAligned]
        [StructLayout(LayoutKind.Explicit, Size = 384)]
        public unsafe struct State { [FieldOffset(0)] public int status; [FieldOffset(128)] public fixed byte rx[128]; [FieldOffset(256)] public int count; }
        public static unsafe class Driver
        {
            public static void Read(State* st, DmaDevice dev) { dev.MapSingle(st->rx, 128, DmaDirection.FromDevice); }
        }
        """);

    [Fact]
    public Task DmaAligned_with_a_field_right_after_the_buffer_is_reported_for_that_line() => VerifyAsync(
        """
        [DmaAligned]
        public unsafe struct State { public int status; private fixed byte _pad0[124]; public fixed byte {|#0:rx|}[100]; public int count; }
        public static unsafe class Driver
        {
            public static void Read(State* st, DmaDevice dev) { {|#1:dev.MapSingle(st->rx, 100, DmaDirection.FromDevice)|}; }
        }
        """,
        At("rx", "bytes [128..228) of 'State' share line 1 [128..256) with 'count' [228..232)", sinkCalls: 1));

    [Fact]
    public Task Padded_but_not_DmaAligned_is_reported_for_its_base_only() => VerifyAsync(
        """
        [StructLayout(LayoutKind.Explicit, Size = 384)]
        public unsafe struct State { [FieldOffset(0)] public int status; [FieldOffset(128)] public fixed byte {|#0:rx|}[128]; [FieldOffset(256)] public int count; }
        public static unsafe class Driver
        {
            public static void Read(State* st, DmaDevice dev) { {|#1:dev.MapSingle(st->rx, 128, DmaDirection.FromDevice)|}; }
        }
        """,
        At("rx", "'State' is not [DmaAligned], so nothing places it on a 128-byte boundary", sinkCalls: 1));

    [Fact]
    public Task Lines_shared_only_with_padding_are_private() => VerifyAsync(
        """
        [DmaAligned]
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        public unsafe struct State { [FieldOffset(0)] public byte flag; [FieldOffset(136)] public fixed byte rx[64]; }
        [DmaAligned]
        public unsafe struct Alone { public fixed byte rx[100]; }
        public static unsafe class Driver
        {
            public static void Read(State* st, Alone* a, DmaDevice dev)
            {
                dev.MapSingle(st->rx, 64, DmaDirection.FromDevice);
                dev.MapSingle(a->rx, 100, DmaDirection.FromDevice);
            }
        }
        """);

    [Fact]
    public Task Pack_1_moves_the_neighbour_into_the_buffer_line() => VerifyAsync(
        """
        [DmaAligned]
        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        public unsafe struct State { public byte flag; private fixed byte _pad0[127]; public fixed byte {|#0:rx|}[64]; public long stamp; }
        public static unsafe class Driver
        {
            public static void Read(State* st, DmaDevice dev) { {|#1:dev.MapSingle(st->rx, 64, DmaDirection.FromDevice)|}; }
        }
        """,
        At("rx", "bytes [128..192) of 'State' share line 1 [128..256) with 'stamp' [192..200)", sinkCalls: 1));

    [Fact]
    public Task Nested_buffer_is_reported_on_the_inner_field_with_root_offsets() => VerifyAsync(
        """
        public unsafe struct Inner { public short seq; public fixed byte {|#0:buf|}[32]; }
        public unsafe struct State { public int status; public Inner inner; }
        public static unsafe class Driver
        {
            public static void Read(Machine m, DmaDevice dev) { var st = m.Kmalloc<State>(); {|#1:dev.MapSingle(st->inner.buf, 32, DmaDirection.FromDevice)|}; }
        }
        """,
        At("buf", "bytes [6..38) of 'State' share line 0 [0..128) with 'status' [0..4), 'inner.seq' [4..6); " + NotAligned72, sinkCalls: 1));

    [Fact]
    public Task DmaAligned_struct_embedded_off_a_line_boundary_is_reported() => VerifyAsync(
        """
        [DmaAligned] public unsafe struct Buffers { public fixed byte {|#0:rx|}[128]; }
        [DmaAligned] public unsafe struct State { public int status; public Buffers b; }
        public static unsafe class Driver
        {
            public static void Read(State* st, DmaDevice dev) { {|#1:dev.MapSingle(st->b.rx, 128, DmaDirection.FromDevice)|}; }
        }
        """,
        At("rx", "bytes [4..132) of 'State' share line 0 [0..128) with 'status' [0..4); [DmaAligned] 'Buffers' sits at offset 4 of 'State', not a multiple of 128", sinkCalls: 1));

    [Fact]
    public Task InlineArray_buffer_is_checked_like_a_fixed_buffer() => VerifyAsync(
        """
        [InlineArray(64)] public struct Buf64 { private byte _e; }
        public struct State { public int status; public Buf64 {|#0:rx|}; }
        [DmaAligned] public struct Good { public Buf64 rx; }
        public static unsafe class Driver
        {
            public static void Read(State* st, Good* g, DmaDevice dev)
            {
                {|#1:dev.MapSingle(&st->rx, 64, DmaDirection.FromDevice)|};
                dev.MapSingle(&g->rx, 64, DmaDirection.FromDevice);
            }
        }
        """,
        At("rx", "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4); 'State' is not [DmaAligned], so nothing places it on a 128-byte boundary", sinkCalls: 1));

    [Fact]
    public Task Record_struct_and_generic_and_nested_types_are_checked() => VerifyAsync(
        """
        [InlineArray(64)] public struct Buf64 { private byte _e; }
        public record struct Rec(int Status) { public Buf64 {|#0:Rx|}; }
        public unsafe struct Ring<T> where T : unmanaged { public T head; public fixed byte {|#2:ring|}[64]; }
        public static class Outer { public unsafe struct Nested { public long stamp; public fixed byte {|#4:data|}[16]; } }
        public static unsafe class Driver
        {
            public static void Read(Rec* r, Ring<long>* g, Outer.Nested* n, DmaDevice dev)
            {
                {|#1:dev.MapSingle(&r->Rx, 64, DmaDirection.FromDevice)|};
                {|#3:dev.MapSingle(g->ring, 64, DmaDirection.FromDevice)|};
                {|#5:dev.MapSingle(n->data, 16, DmaDirection.FromDevice)|};
            }
        }
        """,
        At("Rx", "bytes [4..68) of 'Rec' share line 0 [0..128) with 'Status' [0..4); 'Rec' is not [DmaAligned], so nothing places it on a 128-byte boundary", sinkCalls: 1),
        AnalyzerVerifierShim.At(2, 3, "ring", "bytes [8..72) of 'Ring' share line 0 [0..128) with 'head' [0..8); 'Ring' is not [DmaAligned], so nothing places it on a 128-byte boundary"),
        AnalyzerVerifierShim.At(4, 5, "data", "bytes [8..24) of 'Nested' share line 0 [0..128) with 'stamp' [0..8); 'Nested' is not [DmaAligned], so nothing places it on a 128-byte boundary"));

    [Fact]
    public Task Struct_stored_in_a_class_field_is_reported_for_its_base() => VerifyAsync(
        """
        [DmaAligned] public unsafe struct State { public fixed byte rx[128]; }
        public unsafe class Dev
        {
            private State _st;
            public void Read(DmaDevice dev) { fixed (byte* p = _st.rx) { {|#1:dev.MapSingle(p, 128, DmaDirection.FromDevice)|}; } }
        }
        """.Replace("fixed byte rx[128]", "fixed byte {|#0:rx|}[128]"),
        At("rx", "'State' is stored in field 'Dev._st', which the runtime aligns to 8 bytes only", sinkCalls: 1));

    [Fact]
    public Task A_kmalloc_class_that_is_a_power_of_two_line_multiple_places_the_base() => VerifyAsync(
        """
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        public unsafe struct State { [FieldOffset(0)] public int status; [FieldOffset(128)] public fixed byte rx[64]; }
        [StructLayout(LayoutKind.Explicit, Size = 160)]
        public unsafe struct Small { [FieldOffset(0)] public int status; [FieldOffset(128)] public fixed byte {|#0:rx|}[32]; }
        public static unsafe class Driver
        {
            public static void Read(Machine m, DmaDevice dev)
            {
                var st = m.Kmalloc<State>();
                dev.MapSingle(st->rx, 64, DmaDirection.FromDevice);
                var raw = (State*)m.Kmalloc(256);
                dev.MapSingle(raw->rx, 64, DmaDirection.FromDevice);
                var small = m.Kmalloc<Small>();
                {|#1:dev.MapSingle(small->rx, 32, DmaDirection.FromDevice)|};
            }
        }
        """,
        At("rx", "'Small' is not [DmaAligned], so nothing places it on a 128-byte boundary", sinkCalls: 1));

    [Fact]
    public Task Gfp_DmaAligned_places_the_base() => VerifyAsync(
        """
        [StructLayout(LayoutKind.Explicit, Size = 160)]
        public unsafe struct Small { [FieldOffset(0)] public int status; [FieldOffset(128)] public fixed byte rx[32]; }
        public static unsafe class Driver
        {
            public static void Read(Machine m, DmaDevice dev)
            {
                var small = m.Kmalloc<Small>(Gfp.DmaAligned);
                dev.MapSingle(small->rx, 32, DmaDirection.FromDevice);
            }
        }
        """);

    [Fact]
    public Task Unknown_layout_is_reported_with_its_reason() => VerifyAsync(
        """
        public unsafe struct State { public string name; public fixed byte {|#0:rx|}[64]; }
        public static unsafe class Driver
        {
            public static void Read(State* st, DmaDevice dev) { {|#1:dev.MapSingle(st->rx, 64, DmaDirection.FromDevice)|}; }
        }
        """,
        At("rx", "the layout of 'State' is unknown ('State': it holds a GC reference (field 'name'), so the runtime lays it out Auto and reorders fields), so its cache lines cannot be shown to be its own", sinkCalls: 1));

    [Fact]
    public Task Explicit_union_over_the_buffer_line_counts_as_sharing() => VerifyAsync(
        """
        [DmaAligned]
        [StructLayout(LayoutKind.Explicit, Size = 256)]
        public unsafe struct State { [FieldOffset(128)] public fixed byte {|#0:rx|}[64]; [FieldOffset(200)] public int tail; [FieldOffset(128)] public long alias; }
        public static unsafe class Driver
        {
            public static void Read(State* st, DmaDevice dev) { {|#1:dev.MapSingle(st->rx, 64, DmaDirection.FromDevice)|}; }
        }
        """,
        At("rx", "bytes [128..192) of 'State' share line 1 [128..256) with 'alias' [128..136), 'tail' [200..204)", sinkCalls: 1));

    [Fact]
    public Task Tx_and_rx_grouped_in_one_aligned_region_are_clean() => VerifyAsync(
        """
        [DmaAligned]
        public unsafe struct State { public int status; private fixed byte _pad0[124]; public fixed byte tx[4]; public fixed byte rx[4]; }
        public static unsafe class Driver
        {
            public static void Xfer(State* st, DmaDevice dev)
            {
                dev.MapSingle(st->tx, 4, DmaDirection.ToDevice);
                dev.MapSingle(st->rx, 4, DmaDirection.FromDevice);
            }
        }
        """);

    [Fact]
    public Task The_documented_sequential_fix_is_clean() => VerifyAsync(
        """
        [DmaAligned]
        [StructLayout(LayoutKind.Sequential, Size = 384)]
        public unsafe struct State { public int status; private fixed byte _pad0[124]; public fixed byte rx[64]; private fixed byte _pad1[64]; public int count; }
        public static unsafe class Driver
        {
            public static void Read(Machine m, DmaDevice dev) { var st = m.Kmalloc<State>(); dev.MapSingle(st->rx, 64, DmaDirection.FromDevice); st->count++; }
        }
        """);

    [Fact]
    public Task A_buffer_inside_an_inline_array_element_is_placed_through_the_element() => VerifyAsync(
        """
        public unsafe struct Slot { public int seq; public fixed byte {|#0:buf|}[16]; }
        [InlineArray(4)] public struct Slots { private Slot _e; }
        public struct Ring { public long head; public Slots slots; }
        public static unsafe class Driver
        {
            public static void Read(Ring* r, DmaDevice dev) { {|#1:dev.MapSingle(r->slots[0].buf, 16, DmaDirection.FromDevice)|}; }
        }
        """,
        At("buf", "bytes [12..28) of 'Ring' share line 0 [0..128) with 'head' [0..8), 'slots[0].seq' [8..12), 'slots[1].seq' [28..32), 'slots[2].seq' [48..52), 'slots[3].seq' [68..72); 'Ring' is not [DmaAligned], so nothing places it on a 128-byte boundary", sinkCalls: 1));
}

/// <summary>DMA001 results whose markup indices are not 0 and 1.</summary>
internal static class AnalyzerVerifierShim
{
    public static Microsoft.CodeAnalysis.Testing.DiagnosticResult At(int field, int call, string name, string details) =>
        DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.BufferSharesCacheLineAnalyzer>.Diagnostic()
            .WithLocation(field).WithLocation(call).WithArguments(name, details);
}
