using System.Linq;
using System.Text;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>
/// The fix arithmetic, checked end to end: each plan is written back as C#, compiled, loaded and measured; the buffer must
/// land on a line boundary, the next field on the next line after it, and the size must be a multiple of the line.
/// </summary>
public sealed class CacheLineFixPlannerTests
{
    public static TheoryData<string, string, int, int> Cases => new()
    {
        { "public int status; public fixed byte rx[64]; public int count;", "rx", 0, 64 },
        { "public int status; public fixed byte rx[64]; public int count;", "rx", 0, 128 },
        { "public byte a; public int b; public fixed byte rx[100]; public long d; public short e;", "rx", 0, 128 },
        { "public byte a; public int b; public fixed byte rx[100]; public long d; public short e;", "rx", 1, 128 },
        { "public fixed long rx[3]; public byte after;", "rx", 0, 128 },
        { "public short before; public fixed uint rx[5];", "rx", 0, 256 },
        { "public byte a; public fixed byte rx[16]; public System.Runtime.Intrinsics.Vector128<int> v; public byte z;", "rx", 0, 64 },
        { "public long stamp; public Inner inner; public int tail;", "inner", 2, 128 },
    };

    private const string Helpers = "public unsafe struct Inner { public short seq; public fixed byte buf[40]; }\n";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sequential_padding_plan_puts_the_buffer_on_its_own_lines(string fields, string buffer, int pack, int line)
    {
        var (layout, field) = Analyze(fields, buffer, pack);
        var plan = CacheLineFixPlanner.PlanSequentialPadding(layout, field, line, out var whyNot);
        Assert.True(plan is not null, whyNot);

        var declarations = Split(fields);
        var text = new StringBuilder($"[StructLayout(LayoutKind.Sequential{PackText(pack)}, Size = {plan!.StructSize})] public unsafe struct S {{ ");
        for (var i = 0; i < declarations.Length; i++)
        {
            if (i == plan.BufferIndex && plan.PadBefore > 0)
            {
                text.Append($"private fixed byte _pad0[{plan.PadBefore}]; ");
            }

            text.Append(declarations[i]).Append(' ');
            if (i == plan.BufferIndex && plan.PadAfter > 0)
            {
                text.Append($"private fixed byte _pad1[{plan.PadAfter}]; ");
            }
        }

        AssertOwnLines(text.Append('}').ToString(), buffer, line, plan.BufferOffset, plan.StructSize);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Explicit_offsets_plan_puts_the_buffer_on_its_own_lines(string fields, string buffer, int pack, int line)
    {
        var (layout, field) = Analyze(fields, buffer, pack);
        var plan = CacheLineFixPlanner.PlanExplicitOffsets(layout, field, line, out var whyNot);
        Assert.True(plan is not null, whyNot);

        var declarations = Split(fields);
        var text = new StringBuilder($"[StructLayout(LayoutKind.Explicit{PackText(pack)}, Size = {plan!.StructSize})] public unsafe struct S {{ ");
        for (var i = 0; i < declarations.Length; i++)
        {
            text.Append($"[FieldOffset({plan.Offsets[i]})] ").Append(declarations[i]).Append(' ');
        }

        AssertOwnLines(text.Append('}').ToString(), buffer, line, plan.Offsets[plan.BufferIndex], plan.StructSize);
    }

    [Fact]
    public void Explicit_plan_refuses_generic_structs()
    {
        var compilation = TestCompiler.Compile("public unsafe struct G<T> where T : unmanaged { public T t; public fixed byte rx[8]; } public struct U { public G<int> g; }", "Generic");
        var engine = new StructLayoutEngine(compilation);
        var g = (INamedTypeSymbol)compilation.GetTypeByMetadataName("U")!.GetMembers("g").OfType<IFieldSymbol>().Single().Type;
        var layout = engine.GetLayout(g);
        Assert.Null(CacheLineFixPlanner.PlanExplicitOffsets(layout, g.GetMembers("rx").OfType<IFieldSymbol>().Single(), 128, out var whyNot));
        Assert.Contains("generic", whyNot);
        Assert.NotNull(CacheLineFixPlanner.PlanSequentialPadding(layout, g.GetMembers("rx").OfType<IFieldSymbol>().Single(), 128, out _));
    }

    private static (TypeLayout Layout, IFieldSymbol Field) Analyze(string fields, string buffer, int pack)
    {
        var source = "using System.Runtime.InteropServices;\n" + Helpers + $"[StructLayout(LayoutKind.Sequential{PackText(pack)})] public unsafe struct S {{ {fields} }}";
        var compilation = TestCompiler.Compile(source, "Before");
        var type = compilation.GetTypeByMetadataName("S")!;
        return (new StructLayoutEngine(compilation).GetLayout(type), type.GetMembers().OfType<IFieldSymbol>().Single(f => f.Name == buffer));
    }

    private static void AssertOwnLines(string structSource, string buffer, int line, int plannedOffset, int plannedSize)
    {
        var source = "using System.Runtime.InteropServices;\n" + Helpers + structSource;
        var compilation = TestCompiler.Compile(source, "After");
        var measured = RuntimeLayoutProbe.Measure(RuntimeLayoutProbe.Load(TestCompiler.Emit(compilation), "After").GetType("S", true)!);
        var layout = new StructLayoutEngine(compilation).GetLayout(compilation.GetTypeByMetadataName("S")!);
        var bufferField = layout.Fields.Single(f => f.Name == buffer);

        Assert.Equal(plannedOffset, measured.Offsets[buffer]);
        Assert.Equal(0, measured.Offsets[buffer] % line);
        Assert.Equal(plannedSize, measured.Size);
        Assert.Equal(0, measured.Size % line);
        var lineEnd = LayoutMath.AlignUp(bufferField.End, line);
        foreach (var other in layout.Fields.Where(f => f != bufferField && !PaddingFields.IsPadding(f.Field)))
        {
            Assert.True(other.End <= LayoutMath.AlignDown(bufferField.Offset, line) || other.Offset >= lineEnd,
                $"{other.Name} [{other.Offset}..{other.End}) shares a line with {buffer} [{bufferField.Offset}..{bufferField.End}) in:\n{structSource}");
        }
    }

    private static string[] Split(string fields) =>
        fields.Split(';', System.StringSplitOptions.RemoveEmptyEntries).Select(f => f.Trim() + ";").Where(f => f != ";").ToArray();

    private static string PackText(int pack) => pack == 0 ? "" : $", Pack = {pack}";
}
