using System;
using System.Linq;
using System.Reflection;
using CsCheck;
using DmaSafe.Analyzers.Layout;
using DmaSafe.Analyzers.Tests.Layout;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace DmaSafe.Analyzers.Tests.Reliability.Layout;

/// <summary>
/// Thousands of random structs per run against the running CLR, many per compilation so the run stays fast:
/// Sequential (with and without Pack and Size), Explicit (with overlapping fields and pointer-aligned references),
/// InlineArray, Auto, fixed buffers of every element type, enums of every width, pointers, BCL value types, structs
/// nested in each other, and unknowable members (references in Sequential structs, Vector&lt;T&gt;, Auto structs).
/// Compiled with Roslyn, loaded, measured (sizeof and ldflda differences, see <see cref="RuntimeLayoutProbe"/>) and
/// compared with the layout engine reading from source and from metadata. A knowable struct must get exactly the
/// CLR's size, alignment and offsets; an unknowable one must be reported unknown or, if the engine gives numbers, the
/// right ones. On a failure CsCheck shrinks the batch and the message shows the failing struct with only the structs
/// it embeds. <c>DMASAFE_LAYOUT_BATCHES</c> sets the number of compilations (CI: 24 of 80-150 structs);
/// <c>CsCheck_Seed</c> replays a reported seed.
/// </summary>
/// <remarks>
/// Extends tests/DmaSafe.Analyzers.Tests/Layout/RandomStructLayoutTests (72 structs, no InlineArray, Auto or
/// unknowable members) with the same probe and compiler; that test stays as the small fast sibling.
/// </remarks>
public sealed class LayoutAgainstClrTests(ITestOutputHelper output)
{
    private static int Batches =>
        int.TryParse(Environment.GetEnvironmentVariable("DMASAFE_LAYOUT_BATCHES"), out var batches) && batches > 0 ? batches : 24;

    [Fact]
    public void Thousands_of_random_structs_match_the_clr()
    {
        var totals = new LayoutTotals();
        RandomStructSpec.StructGen.Array[80, 150].Sample(specs => CheckBatch(specs, totals), iter: Batches, threads: 1);

        output.WriteLine(totals.ToString());
        Assert.True(totals.Structs >= 1000 || Batches < 16, $"only {totals.Structs} structs were compared: {totals}");
        Assert.True(totals.UnknownReported > 0, "no unknowable struct was generated: the test does not cover 'unknown'");
        Assert.True(totals.KnownWithReferences > 0, "no Explicit struct with references was generated");
    }

    private static void CheckBatch(RandomStructSpec[] specs, LayoutTotals totals)
    {
        var source = new RandomStructSource(specs);
        var compilation = TestCompiler.Compile(source.Text, "RandomLayout");
        var image = TestCompiler.Emit(compilation);
        var loaded = RuntimeLayoutProbe.Load(image, "RandomLayout");
        var reference = MetadataReference.CreateFromImage(image);
        var consumer = TestCompiler.Compile("class C { }", "RandomLayoutConsumer", new[] { reference });
        var metadataAssembly = (IAssemblySymbol)consumer.GetAssemblyOrModuleSymbol(reference)!;
        var engines = new (string Name, StructLayoutEngine Engine, Func<string, INamedTypeSymbol?> Find)[]
        {
            ("source", new StructLayoutEngine(compilation), compilation.GetTypeByMetadataName),
            ("metadata", new StructLayoutEngine(consumer), metadataAssembly.GetTypeByMetadataName),
        };

        for (var i = 0; i < specs.Length; i++)
        {
            var type = loaded.GetType("Rnd.S" + i, throwOnError: true)!;
            RuntimeLayoutProbe.Measured measured;
            try
            {
                measured = RuntimeLayoutProbe.Measure(type);
            }
            catch (Exception e) when (e is TypeLoadException or TargetInvocationException)
            {
                throw new InvalidOperationException($"the generator made a struct the runtime does not load:\n{source.Closure(i)}", e);
            }

            int? alignment = source.HoldsReferences(i) ? null : RuntimeLayoutProbe.Measure(loaded.GetType("Rnd.P" + i, true)!).Offsets["value"];
            foreach (var (name, engine, find) in engines)
            {
                var layout = engine.GetLayout(find("Rnd.S" + i)!);
                var where = $"S{i} from {name} (knowable: {source.IsKnowable(i)}); minimal program:\n{source.Closure(i)}";
                if (!layout.IsKnown)
                {
                    Assert.False(source.IsKnowable(i), $"the engine says unknown ({layout.UnknownReason}) for a struct the CLR lays out predictably: {where}");
                    totals.Unknown();
                    continue;
                }

                Assert.True(measured.Size == layout.Size, $"size: engine {layout.Size}, CLR {measured.Size}; {where}");
                Assert.True(alignment is null || alignment == layout.Alignment, $"alignment: engine {layout.Alignment}, CLR {alignment}; {where}");
                foreach (var field in layout.Fields)
                {
                    Assert.True(
                        measured.Offsets.TryGetValue(field.Field.Name, out var offset) && offset == field.Offset,
                        $"{field.Field.Name}: engine {field.Offset}, CLR {(measured.Offsets.TryGetValue(field.Field.Name, out var o) ? o : "no such field")}; {where}");
                }

                Assert.Equal(measured.Offsets.Count, layout.Fields.Length);
                totals.Matched(layout.Fields.Length, source.HoldsReferences(i));
            }

            totals.Struct(specs[i].Kind);
        }

        totals.Batch();
    }

    private sealed class LayoutTotals
    {
        private readonly int[] _byKind = new int[Enum.GetValues<RandomLayoutKind>().Length];

        public int Batches { get; private set; }

        public int Structs { get; private set; }

        public int Comparisons { get; private set; }

        public int FieldsCompared { get; private set; }

        public int UnknownReported { get; private set; }

        public int KnownWithReferences { get; private set; }

        public void Batch() => Batches++;

        public void Struct(RandomLayoutKind kind)
        {
            Structs++;
            _byKind[(int)kind]++;
        }

        public void Unknown() => UnknownReported++;

        public void Matched(int fields, bool references)
        {
            Comparisons++;
            FieldsCompared += fields;
            KnownWithReferences += references ? 1 : 0;
        }

        public override string ToString() =>
            $"{Structs} random structs in {Batches} compilations ({string.Join(", ", Enum.GetValues<RandomLayoutKind>().Select(k => $"{_byKind[(int)k]} {k}"))}); " +
            $"{Comparisons} engine layouts (source + metadata) equal to the CLR's, {FieldsCompared} field offsets compared, 0 mismatches; " +
            $"{UnknownReported} reported unknown (all unknowable), {KnownWithReferences} Explicit-with-references layouts right";
    }
}
