using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>
/// Random structs (Sequential or Explicit, any Pack and Size, fixed buffers, BCL types, structs nested in each other),
/// compiled, loaded and measured: the engine must agree with the runtime on every one, from source and from metadata.
/// </summary>
public sealed class RandomStructLayoutTests
{
    private static readonly string[] ScalarTypes =
    {
        "byte", "short", "int", "long", "bool", "char", "double", "float", "nint", "decimal", "Guid", "Int128",
        "System.Runtime.Intrinsics.Vector128<byte>", "long?", "E8", "E64", "byte*", "DateTime", "Half",
    };

    private static readonly string[] FixedElementTypes = { "byte", "short", "int", "long", "char", "double", "bool" };

    private static readonly int[] Packs = { 0, 1, 2, 4, 8, 16 };

    private sealed record FieldSpec(int Type, int FixedKind, int Count, int Offset);

    private sealed record StructSpec(int Kind, int Pack, int Size, FieldSpec[] Fields);

    private static readonly Gen<FieldSpec> FieldGen =
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 3], Gen.Int[1, 9], Gen.Int[0, 48], (t, f, c, o) => new FieldSpec(t, f, c, o));

    private static readonly Gen<StructSpec> StructGen =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, Packs.Length - 1], Gen.Int[0, 3], Gen.Int[1, 100], FieldGen.Array[1, 7],
            (kind, pack, sizeChoice, size, fields) => new StructSpec(kind, Packs[pack], sizeChoice == 0 ? size : 0, fields));

    [Fact]
    public void Random_structs_match_the_runtime()
    {
        StructGen.Array[12, 12].Sample(
            specs =>
            {
                var source = Render(specs);
                var compilation = TestCompiler.Compile(source, "Random");
                var image = TestCompiler.Emit(compilation);
                var loaded = RuntimeLayoutProbe.Load(image, "Random");
                var consumer = TestCompiler.Compile("class C { }", "RandomConsumer", new[] { MetadataReference.CreateFromImage(image) });
                var fromSource = new StructLayoutEngine(compilation);
                var fromMetadata = new StructLayoutEngine(consumer);
                for (var i = 0; i < specs.Length; i++)
                {
                    var name = "Rnd.S" + i;
                    var measured = RuntimeLayoutProbe.Measure(loaded.GetType(name, true)!);
                    var alignment = RuntimeLayoutProbe.Measure(loaded.GetType("Rnd.P" + i, true)!).Offsets["value"];
                    foreach (var engine in new[] { fromSource, fromMetadata })
                    {
                        var symbol = engine.Compilation.GetTypeByMetadataName(name)
                            ?? engine.Compilation.References.Select(engine.Compilation.GetAssemblyOrModuleSymbol).OfType<IAssemblySymbol>()
                                .Select(a => a.GetTypeByMetadataName(name)).First(t => t is not null)!;
                        var layout = engine.GetLayout(symbol);
                        var where = $"{name} ({(engine == fromSource ? "source" : "metadata")}):\n{source}";
                        Assert.True(layout.IsKnown, layout + " " + where);
                        Assert.True(measured.Size == layout.Size, $"size engine {layout.Size} runtime {measured.Size} {where}");
                        Assert.True(alignment == layout.Alignment, $"alignment engine {layout.Alignment} runtime {alignment} {where}");
                        foreach (var field in layout.Fields)
                        {
                            Assert.True(measured.Offsets[field.Field.Name] == field.Offset, $"{field.Field.Name}: engine {field.Offset} runtime {measured.Offsets[field.Field.Name]} {where}");
                        }
                    }
                }
            },
            iter: 6,
            threads: 1);
    }

    private static string Render(StructSpec[] specs)
    {
        var text = new StringBuilder("using System; using System.Runtime.InteropServices;\nnamespace Rnd {\npublic enum E8 : byte { A } public enum E64 : long { B }\n");
        for (var i = 0; i < specs.Length; i++)
        {
            var spec = specs[i];
            var kind = spec.Kind == 2 ? "Explicit" : "Sequential";
            var attributes = new List<string> { "LayoutKind." + kind };
            if (spec.Pack != 0)
            {
                attributes.Add("Pack = " + spec.Pack);
            }

            if (spec.Size != 0)
            {
                attributes.Add("Size = " + spec.Size);
            }

            text.Append($"[StructLayout({string.Join(", ", attributes)})] public unsafe struct S{i} {{ ");
            for (var f = 0; f < spec.Fields.Length; f++)
            {
                var field = spec.Fields[f];
                if (spec.Kind == 2)
                {
                    text.Append($"[FieldOffset({field.Offset})] ");
                }

                if (field.FixedKind == 0)
                {
                    text.Append($"public fixed {FixedElementTypes[field.Type % FixedElementTypes.Length]} f{f}[{field.Count}]; ");
                }
                else if (field.FixedKind == 1 && i > 0)
                {
                    text.Append($"public S{field.Type % i} f{f}; ");
                }
                else
                {
                    text.Append($"public {ScalarTypes[field.Type % ScalarTypes.Length]} f{f}; ");
                }
            }

            text.Append("}\n");
            text.Append($"public struct P{i} {{ public byte pad; public S{i} value; }}\n");
        }

        return text.Append("}\n").ToString();
    }
}
