using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.CodeFixes.CodeFixVerifier<
    DmaSafe.Analyzers.Rules.BufferSharesCacheLineAnalyzer,
    DmaSafe.CodeFixes.Fixers.BufferSharesCacheLineCodeFixProvider>;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>
/// DMA001 "Give '&lt;field&gt;' its own DMA cache lines": the verifier applies the fix one diagnostic at a time and
/// as Fix All (document, project, solution), compiles the result (any compiler error fails) and re-runs DMA001's
/// layout check on it (any diagnostic left fails).
/// </summary>
public sealed class BufferOwnLinesFixTests
{
    private const string Key = "DmaSafe.GiveBufferOwnLines";

    // DMA001 is a compilation-end diagnostic (see CodeFixVerifier.VerifyFixAsync).
    private const CodeFixTestBehaviors NonLocal = CodeFixTestBehaviors.SkipLocalDiagnosticCheck;

    [Fact]
    public Task Buffer_between_two_ints_gets_explicit_offsets_on_line_boundaries_and_the_struct_is_marked()
    {
        const string source = """
            using DmaSafe;

            namespace Driver;

            public unsafe struct AdcState
            {
                public int Status;
                [DmaBuffer] public fixed byte {|DMA001:Rx|}[64];
                public int Count;
            }
            """;
        const string fixedSource = """
            using System.Runtime.InteropServices;
            using DmaSafe;

            namespace Driver;

            // DMA001: explicit offsets give 'Rx' 128-byte DMA cache lines of its own; keep other fields off those lines.
            [DmaAligned]
            [StructLayout(LayoutKind.Explicit, Size = 384)]
            public unsafe struct AdcState
            {
                [FieldOffset(0)] public int Status;
                [FieldOffset(128)] [DmaBuffer] public fixed byte Rx[64];
                [FieldOffset(256)] public int Count;
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key, NonLocal);
    }

    [Fact]
    public Task Two_buffers_in_one_struct_both_land_whether_fixed_one_by_one_or_by_Fix_All()
    {
        const string source = """
            using DmaSafe;

            namespace Driver;

            /// <summary>An SPI controller's state.</summary>
            public unsafe struct Spi
            {
                public int Status; // the status word
                [DmaBuffer] public fixed byte {|DMA001:Rx|}[64];
                public int A, B;
                [DmaBuffer] public fixed byte {|DMA001:Tx|}[32];
                public short Tail { get; set; }
            }
            """;
        const string fixedSource = """
            using System.Runtime.InteropServices;
            using DmaSafe;

            namespace Driver;

            /// <summary>An SPI controller's state.</summary>
            // DMA001: explicit offsets give 'Rx', 'Tx' 128-byte DMA cache lines of their own; keep other fields off those lines.
            [DmaAligned]
            [StructLayout(LayoutKind.Explicit, Size = 640)]
            public unsafe struct Spi
            {
                [FieldOffset(0)] public int Status; // the status word
                [FieldOffset(128)] [DmaBuffer] public fixed byte Rx[64];
                [FieldOffset(256)] public int A;
                [FieldOffset(260)] public int B;
                [FieldOffset(384)] [DmaBuffer] public fixed byte Tx[32];
                [field: FieldOffset(512)]
                public short Tail { get; set; }
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key, NonLocal);
    }

    [Fact]
    public Task Nested_struct_mapped_through_its_outer_struct_is_laid_out_inside_out_and_the_root_is_marked()
    {
        const string source = """
            using DmaSafe;

            namespace Driver;

            public unsafe struct Inner
            {
                public int S;
                [DmaBuffer] public fixed byte {|DMA001:Buf|}[64];
                public int C;
            }

            public struct Outer
            {
                public long Head;
                public Inner In;
                public int T;
            }

            public static unsafe class Receive
            {
                public static void Start(DmaDevice dev, Outer* st)
                {
                    var addr = dev.MapSingle(st->In.Buf, 64, DmaDirection.FromDevice);
                    if (dev.MappingError(addr))
                    {
                        return;
                    }

                    dev.UnmapSingle(addr, 64, DmaDirection.FromDevice);
                }
            }
            """;
        const string fixedSource = """
            using System.Runtime.InteropServices;
            using DmaSafe;

            namespace Driver;

            // DMA001: explicit offsets give 'Buf' 128-byte DMA cache lines of its own; keep other fields off those lines.
            [StructLayout(LayoutKind.Explicit, Size = 384)]
            public unsafe struct Inner
            {
                [FieldOffset(0)] public int S;
                [FieldOffset(128)] [DmaBuffer] public fixed byte Buf[64];
                [FieldOffset(256)] public int C;
            }

            // DMA001: explicit offsets give 'In' 128-byte DMA cache lines of its own; keep other fields off those lines.
            [DmaAligned]
            [StructLayout(LayoutKind.Explicit, Size = 640)]
            public struct Outer
            {
                [FieldOffset(0)] public long Head;
                [FieldOffset(128)] public Inner In;
                [FieldOffset(512)] public int T;
            }

            public static unsafe class Receive
            {
                public static void Start(DmaDevice dev, Outer* st)
                {
                    var addr = dev.MapSingle(st->In.Buf, 64, DmaDirection.FromDevice);
                    if (dev.MappingError(addr))
                    {
                        return;
                    }

                    dev.UnmapSingle(addr, 64, DmaDirection.FromDevice);
                }
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key, NonLocal);
    }

    [Fact]
    public Task Pack_is_kept_and_the_struct_becomes_explicit()
    {
        const string source = """
            using DmaSafe;
            using System.Runtime.InteropServices;

            namespace Driver;

            [StructLayout(LayoutKind.Sequential, Pack = 1)]
            public unsafe struct Packed
            {
                public byte A;
                [DmaBuffer] public fixed byte {|DMA001:Rx|}[100];
                public short B;
            }
            """;
        const string fixedSource = """
            using DmaSafe;
            using System.Runtime.InteropServices;

            namespace Driver;

            // DMA001: explicit offsets give 'Rx' 128-byte DMA cache lines of its own; keep other fields off those lines.
            [DmaAligned]
            [StructLayout(LayoutKind.Explicit, Pack = 1, Size = 384)]
            public unsafe struct Packed
            {
                [FieldOffset(0)] public byte A;
                [FieldOffset(128)] [DmaBuffer] public fixed byte Rx[100];
                [FieldOffset(256)] public short B;
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key, NonLocal);
    }

    [Fact]
    public Task Existing_explicit_offsets_shift_together_so_unions_and_alignment_survive()
    {
        const string source = """
            using DmaSafe;
            using System.Runtime.InteropServices;

            namespace Driver;

            [StructLayout(LayoutKind.Explicit)]
            public unsafe struct Registers
            {
                [FieldOffset(0)] public int A;
                [FieldOffset(0)] public float AsFloat;
                [FieldOffset(4)] [DmaBuffer] public fixed byte {|DMA001:Rx|}[16];
                [FieldOffset(20)] public int B;
                [FieldOffset(24)] public long C;
            }
            """;
        const string fixedSource = """
            using DmaSafe;
            using System.Runtime.InteropServices;

            namespace Driver;

            // DMA001: explicit offsets give 'Rx' 128-byte DMA cache lines of its own; keep other fields off those lines.
            [DmaAligned]
            [StructLayout(LayoutKind.Explicit, Size = 384)]
            public unsafe struct Registers
            {
                [FieldOffset(0)] public int A;
                [FieldOffset(0)] public float AsFloat;
                [FieldOffset(128)] [DmaBuffer] public fixed byte Rx[16];
                [FieldOffset(260)] public int B;
                [FieldOffset(264)] public long C;
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key, NonLocal);
    }

    [Fact]
    public Task Comments_and_doc_comments_stay_where_they_were()
    {
        const string source = """
            using DmaSafe;

            namespace Driver
            {
                /// <summary>Receive path of an IIO ADC.</summary>
                internal unsafe struct RxState
                {
                    /// <summary>Last conversion status.</summary>
                    public int Status; // written by the IRQ handler

                    // The device writes samples here.
                    [DmaBuffer]
                    public fixed byte {|DMA001:Samples|}[24]; /* 3 x 8 bytes */
                }
            }
            """;
        const string fixedSource = """
            using System.Runtime.InteropServices;
            using DmaSafe;

            namespace Driver
            {
                /// <summary>Receive path of an IIO ADC.</summary>
                // DMA001: explicit offsets give 'Samples' 128-byte DMA cache lines of its own; keep other fields off those lines.
                [DmaAligned]
                [StructLayout(LayoutKind.Explicit, Size = 256)]
                internal unsafe struct RxState
                {
                    /// <summary>Last conversion status.</summary>
                    [FieldOffset(0)] public int Status; // written by the IRQ handler

                    // The device writes samples here.
                    [FieldOffset(128)] [DmaBuffer]
                    public fixed byte Samples[24]; /* 3 x 8 bytes */
                }
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key, NonLocal);
    }

    [Fact]
    public Task Dma_minalign_from_editorconfig_sets_the_line()
    {
        const string source = """
            using DmaSafe;

            namespace Driver;

            [DmaAligned]
            public unsafe struct Small
            {
                public byte Flags;
                [DmaBuffer] public fixed byte {|DMA001:Rx|}[8];
                public byte More;
            }
            """;
        const string fixedSource = """
            using System.Runtime.InteropServices;
            using DmaSafe;

            namespace Driver;

            // DMA001: explicit offsets give 'Rx' 64-byte DMA cache lines of its own; keep other fields off those lines.
            [StructLayout(LayoutKind.Explicit, Size = 192)]
            [DmaAligned]
            public unsafe struct Small
            {
                [FieldOffset(0)] public byte Flags;
                [FieldOffset(64)] [DmaBuffer] public fixed byte Rx[8];
                [FieldOffset(128)] public byte More;
            }
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = Key, CodeFixTestBehaviors = NonLocal };
        const string config = "root = true\n\n[*]\ndmasafe.dma_minalign = 64\n";
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Generic_struct_gets_no_layout_fix_because_it_cannot_be_explicit()
    {
        const string source = """
            using DmaSafe;

            namespace Driver;

            public unsafe struct Holder<T>
                where T : unmanaged
            {
                public T Value;
            }

            public unsafe struct Ring
            {
                public Holder<int> Head;
                [DmaBuffer] public fixed byte {|DMA001:Rx|}[64];
            }
            """;

        // Ring itself is not generic: it is fixed; only its own fields move.
        const string fixedSource = """
            using System.Runtime.InteropServices;
            using DmaSafe;

            namespace Driver;

            public unsafe struct Holder<T>
                where T : unmanaged
            {
                public T Value;
            }

            // DMA001: explicit offsets give 'Rx' 128-byte DMA cache lines of its own; keep other fields off those lines.
            [DmaAligned]
            [StructLayout(LayoutKind.Explicit, Size = 256)]
            public unsafe struct Ring
            {
                [FieldOffset(0)] public Holder<int> Head;
                [FieldOffset(128)] [DmaBuffer] public fixed byte Rx[64];
            }
            """;
        return Verify.VerifyFixAsync(source, fixedSource, Key, NonLocal);
    }
}
