using System;
using System.Linq;
using Xunit;

namespace DmaSafe.Runtime.Tests.Layout;

public sealed unsafe class DmaLayoutTests
{
    [Fact]
    public void TheAntiPatternIsDrawnExactlyAsPaholeDrawsIt()
    {
        var expected = """
            struct Dev {
            	int                        Status;               /*     0     4 */
            	byte                       Rx[128];              /*     4   128 */
            	/* --- cacheline 1 boundary (128 bytes) was 4 bytes ago --- */
            	int                        Count;                /*   132     4 */

            	/* size: 136, cachelines: 2, members: 3 */
            	/* last cacheline: 8 bytes */
            };

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), DmaLayout.Describe<Dev>());
    }

    [Fact]
    public void ADmaBufferIsMarkedWithTheFieldsThatShareItsLines()
    {
        var text = DmaLayout.Describe<MarkedDev>();

        Assert.Contains("\tbyte                       Rx[128];              /*     4   128 */ /* DMA buffer */\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "\t/* DMA buffer Rx [4..132) shares line 0 with Status; line 1 with Count; "
            + "assuming the struct starts on a line boundary: mark it [DmaAligned] or allocate it with Gfp.DmaAligned; "
            + "line 1 may also hold the next allocation: size 136 is not a multiple of 128 */\n",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void AnAlignedBufferOwnsItsLine()
    {
        var expected = """
            struct AlignedDev {
            	int                        Status;               /*     0     4 */
            	int                        Count;                /*     4     4 */

            	/* XXX 120 bytes hole, try to pack */

            	/* --- cacheline 1 boundary (128 bytes) --- */
            	byte                       Rx[128];              /*   128   128 */ /* DMA buffer */

            	/* size: 256, cachelines: 2, members: 3 */
            	/* sum members: 136, holes: 1, sum holes: 120 */
            	/* DMA buffer Rx [128..256) owns line 1 */
            };

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), DmaLayout.Describe<AlignedDev>());
    }

    [Fact]
    public void HolesPaddingAndTheSummaryFollowPahole()
    {
        var expected = """
            struct Row {
            	byte                       A;                    /*     0     1 */

            	/* XXX 3 bytes hole, try to pack */

            	int                        B;                    /*     4     4 */
            	byte                       C;                    /*     8     1 */

            	/* XXX 7 bytes hole, try to pack */

            	long                       D;                    /*    16     8 */
            	short                      E;                    /*    24     2 */

            	/* size: 32, cachelines: 1, members: 5 */
            	/* sum members: 16, holes: 2, sum holes: 10 */
            	/* padding: 6 */
            	/* last cacheline: 32 bytes */
            };

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), DmaLayout.Describe<Row>());
    }

    [Fact]
    public void BoundaryMarkersFollowTheLineSize()
    {
        var text = DmaLayout.Describe<Row>(lineSize: 8);

        Assert.Contains("\t/* --- cacheline 1 boundary (8 bytes) --- */\n\tbyte                       C;", text, StringComparison.Ordinal);
        Assert.Contains("\t/* --- cacheline 2 boundary (16 bytes) --- */\n\tlong                       D;", text, StringComparison.Ordinal);
        Assert.Contains("\t/* --- cacheline 3 boundary (24 bytes) --- */\n\tshort                      E;", text, StringComparison.Ordinal);
        Assert.Contains("/* size: 32, cachelines: 4, members: 5 */", text, StringComparison.Ordinal);
        Assert.DoesNotContain("last cacheline", text, StringComparison.Ordinal);

        // A buffer filling lines exactly: the next field starts on the boundary, with no "was … ago".
        var exact = DmaLayout.Describe<Exact>();
        Assert.Contains("\t/* --- cacheline 1 boundary (128 bytes) --- */\n\tint                        After;", exact, StringComparison.Ordinal);
        Assert.Contains("/* DMA buffer Words [0..128) owns line 0; assuming the struct starts on a line boundary", exact, StringComparison.Ordinal);
        Assert.DoesNotContain("next allocation", exact, StringComparison.Ordinal);
    }

    [Fact]
    public void MeasuredOffsetsMatchTheFieldsAddresses()
    {
        var row = default(Row);
        var r = &row;
        AssertOffsets<Row>([Offset(r, &r->A), Offset(r, &r->B), Offset(r, &r->C), Offset(r, &r->D), Offset(r, &r->E)]);
        var packed = default(PackedRow);
        var p = &packed;
        AssertOffsets<PackedRow>([Offset(p, &p->A), Offset(p, &p->B), Offset(p, &p->C), Offset(p, &p->D), Offset(p, &p->E)]);
        var small = default(Small);
        var s = &small;
        AssertOffsets<Small>([Offset(s, &s->A), Offset(s, &s->B), Offset(s, &s->C), Offset(s, &s->D)]);
        var headTail = default(HeadTail);
        var h = &headTail;
        AssertOffsets<HeadTail>([Offset(h, &h->Head), Offset(h, &h->Tail)]);
        var dev = default(Dev);
        var d = &dev;
        AssertOffsets<Dev>([Offset(d, &d->Status), Offset(d, d->Rx), Offset(d, &d->Count)]);
        var aligned = default(AlignedDev);
        var a = &aligned;
        AssertOffsets<AlignedDev>([Offset(a, &a->Status), Offset(a, &a->Count), Offset(a, a->Rx)]);
        var mixed = default(Mixed);
        var m = &mixed;
        AssertOffsets<Mixed>([Offset(m, &m->Mode), Offset(m, &m->Handle), Offset(m, &m->Cursor), Offset(m, &m->Inner), Offset(m, &m->Counts), Offset(m, &m->Pair), Offset(m, m->Words)]);

        // The rows LAYOUT-FACTS records, as numbers.
        Assert.Equal(new[] { 0, 4, 8, 16, 24 }, DmaLayout.Measure<Row>().Fields.Select(f => f.Offset));
        Assert.Equal(new[] { 0, 1, 5, 6, 14 }, DmaLayout.Measure<PackedRow>().Fields.Select(f => f.Offset));
        Assert.Equal(new[] { 0, 1, 2, 4 }, DmaLayout.Measure<Small>().Fields.Select(f => f.Offset));
        Assert.Equal(new[] { 64, 128 }, DmaLayout.Measure<HeadTail>().Fields.Select(f => f.Offset));
        Assert.Equal(new[] { 0, 8, 16 }, DmaLayout.Measure<Positional>().Fields.Select(f => f.Offset));
    }

    [Fact]
    public void FieldsAreNamedAndTypedAsCSharpDeclaresThem()
    {
        var mixed = DmaLayout.Measure<Mixed>();
        Assert.Equal("Mixed", mixed.TypeName);
        Assert.Equal(
            new[] { ("Mode", "Mode", 2), ("Handle", "nint", 8), ("Cursor", "byte*", 8), ("Inner", "Small", 8), ("Counts", "ThreeInts", 12), ("Pair", "ValueTuple<int, long>", 16), ("Words[2]", "long", 16) },
            mixed.Fields.Select(f => (f.Name, f.TypeName, f.Size)));

        Assert.Equal(new[] { "A", "B", "C" }, DmaLayout.Measure<Positional>().Fields.Select(f => f.Name));

        var inline = DmaLayout.Measure<ThreeInts>();
        var element = Assert.Single(inline.Fields);
        Assert.Equal(("Element[3]", "int", 0, 12), (element.Name, element.TypeName, element.Offset, element.Size));
        Assert.Equal(12, inline.Size);

        var small = DmaLayout.Measure<Small>();
        Assert.Equal(new[] { ("byte", 1), ("bool", 1), ("char", 2), ("int", 4) }, small.Fields.Select(f => (f.TypeName, f.Size)));
    }

    [Fact]
    public void MarksFollowTheAttributes()
    {
        Assert.False(DmaLayout.Measure<Dev>().IsDmaAligned);
        Assert.True(DmaLayout.Measure<AlignedDev>().IsDmaAligned);
        Assert.Equal(new[] { false, true, false }, DmaLayout.Measure<MarkedDev>().Fields.Select(f => f.IsDmaBuffer));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(96)]
    [InlineData(4)]
    [InlineData(131072)]
    public void TheLineSizeMustBeAPowerOfTwoFrom8(int lineSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DmaLayout.Describe<Row>(lineSize));
        Assert.Contains("power of two from 8 to 65536", error.Message, StringComparison.Ordinal);
    }

    private static int Offset(void* instance, void* field) => (int)((byte*)field - (byte*)instance);

    private static void AssertOffsets<T>(int[] fromAddresses)
        where T : unmanaged
    {
        var measured = DmaLayout.Measure<T>();
        Assert.Equal(fromAddresses, measured.Fields.Select(f => f.Offset));
        Assert.Equal(sizeof(T), measured.Size);
    }
}
