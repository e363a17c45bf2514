using System.Linq;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>
/// Types from referenced assemblies: implementation assemblies are read from metadata (see the measured table);
/// reference assemblies hide private fields, so only the known-type table or "unknown" may answer.
/// </summary>
public sealed class ReferencedAssemblyLayoutTests
{
    private const string Library = """
        using System.Runtime.InteropServices;
        namespace Lib
        {
            public struct Pair { private byte _tag; private long _value; }
            [StructLayout(LayoutKind.Explicit, Size = 192)] public struct Padded { [FieldOffset(64)] public int Head; [FieldOffset(128)] private int _tail; }
            public enum Mode : short { A }
        }
        """;

    [Fact]
    public void A_compiler_made_reference_assembly_keeps_struct_fields_so_its_layouts_are_known()
    {
        // What a project reference compiles against (obj/ref): Roslyn keeps every field of a struct, offsets included.
        var library = TestCompiler.Compile(Library, "RefLib");
        var consumer = TestCompiler.Compile("public struct Use { public byte b; public Lib.Pair p; public Lib.Mode m; }", "RefConsumer", new[] { MetadataReference.CreateFromImage(TestCompiler.Emit(library, metadataOnly: true)) });
        var engine = new StructLayoutEngine(consumer);
        var use = engine.GetLayout(Find(consumer, "Use"));
        Assert.Equal(new[] { 0, 8, 24 }, use.Fields.Select(f => f.Offset));
        var padded = engine.GetLayout(Find(consumer, "Lib.Padded"));
        Assert.Equal((192, 64, 128), (padded.Size, padded.Fields[0].Offset, padded.Fields[1].Offset));
        var mode = engine.GetLayout(Find(consumer, "Lib.Mode"));
        Assert.Equal((LayoutRule.Enum, 2, 2), (mode.Rule, mode.Size, mode.Alignment));
    }

    [Fact]
    public void A_reference_assembly_with_dummy_fields_gives_unknown_layouts()
    {
        // The shape GenAPI gives the framework's and many packages' ref/ assemblies.
        var library = TestCompiler.Compile(
            "[assembly: System.Runtime.CompilerServices.ReferenceAssembly] namespace Lib { public struct Handle { private int _dummyPrimitive; public int Visible; } public struct Plain { public long A; } }",
            "GenApiLib");
        var consumer = TestCompiler.Compile("public struct Use { public Lib.Handle h; }", "GenApiConsumer", new[] { MetadataReference.CreateFromImage(TestCompiler.Emit(library)) });
        var engine = new StructLayoutEngine(consumer);
        var handle = engine.GetLayout(Find(consumer, "Lib.Handle"));
        Assert.False(handle.IsKnown);
        Assert.Contains("reference assembly 'GenApiLib'", handle.UnknownReason);
        Assert.False(engine.GetLayout(Find(consumer, "Use")).IsKnown);
        Assert.True(engine.GetLayout(Find(consumer, "Lib.Plain")).IsKnown);
    }

    [Fact]
    public void Private_fields_and_explicit_offsets_come_through_an_implementation_assembly()
    {
        var library = TestCompiler.Compile(Library, "ImplLib");
        var consumer = TestCompiler.Compile("public struct Use { public byte b; public Lib.Pair p; }", "ImplConsumer", new[] { MetadataReference.CreateFromImage(TestCompiler.Emit(library)) });
        var engine = new StructLayoutEngine(consumer);
        var use = engine.GetLayout(Find(consumer, "Use"));
        Assert.Equal(new[] { 0, 8 }, use.Fields.Select(f => f.Offset));
        Assert.Equal(24, use.Size);

        var padded = engine.GetLayout(Find(consumer, "Lib.Padded"));
        Assert.Equal((LayoutRule.Explicit, 192, 4), (padded.Rule, padded.Size, padded.Alignment));
        Assert.Equal(new[] { 64, 128 }, padded.Fields.Select(f => f.Offset));
    }

    [Theory]
    [InlineData("System.Guid", 16, 4)]
    [InlineData("System.Decimal", 16, 8)]
    [InlineData("System.DateTime", 8, 8)]
    [InlineData("System.Int128", 16, 16)]
    public void Framework_types_from_the_reference_pack_come_from_the_table(string name, int size, int alignment)
    {
        var compilation = TestCompiler.Compile("class C { }", "Framework");
        var layout = new StructLayoutEngine(compilation).GetLayout(compilation.GetTypeByMetadataName(name)!);
        Assert.Equal((LayoutRule.KnownType, size, alignment), (layout.Rule, layout.Size, layout.Alignment));
    }

    [Theory]
    [InlineData("System.Runtime.InteropServices.GCHandle")]
    [InlineData("System.Threading.CancellationToken")]
    [InlineData("System.Numerics.Vector`1")]
    public void Framework_types_outside_the_table_are_unknown(string name)
    {
        var compilation = TestCompiler.Compile("class C { }", "Framework");
        var type = compilation.GetTypeByMetadataName(name)!;
        var layout = new StructLayoutEngine(compilation).GetLayout(type.IsGenericType ? type.Construct(compilation.GetSpecialType(SpecialType.System_Byte)) : type);
        Assert.False(layout.IsKnown);
        Assert.False(string.IsNullOrEmpty(layout.UnknownReason));
    }

    [Fact]
    public void A_layout_cycle_in_broken_code_is_unknown_not_a_stack_overflow()
    {
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public struct A { public B b; } public struct B { public A a; }");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Cycle", new[] { tree }, Basic.Reference.Assemblies.Net100.References.All);
        var layout = new StructLayoutEngine(compilation).GetLayout(compilation.GetTypeByMetadataName("A")!);
        Assert.False(layout.IsKnown);
        Assert.Contains("cycle", layout.UnknownReason);
    }

    [Fact]
    public void The_engine_is_safe_to_share_between_threads()
    {
        var compilation = LayoutTableFixture.Instance.SourceCompilation;
        var engine = new StructLayoutEngine(compilation);
        var rows = LayoutRows.All.Where(r => !r.Unknown).ToArray();
        var results = new TypeLayout[rows.Length * 8];
        System.Threading.Tasks.Parallel.For(0, results.Length, i =>
            results[i] = engine.GetLayout(compilation.GetTypeByMetadataName(rows[i % rows.Length].MetadataName)!));
        for (var i = 0; i < results.Length; i++)
        {
            var expected = LayoutTableFixture.Instance.FromSource(rows[i % rows.Length]);
            Assert.Equal(expected.Size, results[i].Size);
            Assert.Equal(expected.Fields.Select(f => f.Offset), results[i].Fields.Select(f => f.Offset));
        }
    }

    private static INamedTypeSymbol Find(Compilation compilation, string name) =>
        compilation.GetTypeByMetadataName(name) ??
        compilation.References.Select(compilation.GetAssemblyOrModuleSymbol).OfType<IAssemblySymbol>()
            .Select(a => a.GetTypeByMetadataName(name)).First(t => t is not null)!;
}
