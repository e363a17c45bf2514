using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Infrastructure;

/// <summary>
/// The names a sink can be called by, read from the places the trees' texts name the attribute (or an alias of it)
/// rather than from every declaration of every tree.
/// </summary>
public sealed class SinkCallNamesTests
{
    private static SinkCallNames NamesOf(params string[] sources)
    {
        var compilation = TestReferences.Compile(TestReferences.All, sources);
        var symbols = DmaSymbols.TryCreate(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
        Assert.NotNull(symbols);
        return symbols!.CallNames(CancellationToken.None);
    }

    [Fact]
    public void SourceDeclarationsMarkedThroughTheAttributeItsAliasOrAnEscape()
    {
        var names = NamesOf(
            """
            using System.Runtime.CompilerServices;
            using DmaSafe;
            namespace Drivers
            {
                public unsafe class Bus
                {
                    public static void Push([DmaBuffer] byte* p) { }
                    public void Send(int n, [DmaSafe.DmaBufferAttribute] byte* p, [CallerLineNumber] int line = 0) { }
                    public void Lined([CallerLineNumber] int line = 0) { }
                    public void Plain(byte* p) { }
                    public Bus([DmaBuffer] byte* p) { }
                    public class Inner
                    {
                        public void Nested([DmaBuffer] byte* p) { }
                    }
                }
                public unsafe class Frame([DmaBuffer] byte* p) { }
                public unsafe delegate void Handler(int n);
            }
            """,
            """
            global using Mark = DmaSafe.DmaBufferAttribute;
            public unsafe static class Elsewhere
            {
                // No DmaBuffer spelled here: only the alias.
                public static void Aliased([Mark] byte* p) { }
                public static void Unmarked([System.Obsolete] byte* p) { }
            }
            """,
            """
            // A Unicode escape may spell the attribute's name: this tree is read declaration by declaration.
            public unsafe static class Escapes
            {
                public static void Escaped([DmaSafe.Dma\u0042uffer] byte* p) { }
            }
            """);

        Assert.True(names.IsMethodName("Push"));
        Assert.True(names.IsMethodName("Send"));
        Assert.True(names.IsMethodName("Escaped"));
        Assert.True(names.IsMethodName("Nested"));
        Assert.True(names.IsMethodName("Aliased"));
        Assert.True(names.IsMethodName("MapSingle"));
        Assert.False(names.IsMethodName("Lined"));
        Assert.False(names.IsMethodName("Plain"));
        Assert.False(names.IsMethodName("Unmarked"));
        Assert.True(names.IsConstructorTypeName("Bus"));
        Assert.True(names.IsConstructorTypeName("Frame"));
        Assert.True(names.IsConstructorTypeName("ScatterEntry"));
        Assert.False(names.DelegatesMaySink);
    }

    [Fact]
    public void AnAliasNamedWithTheAttributeSuffixMarksParametersSpelledWithoutIt()
    {
        // [Tagged] resolves to the alias TaggedAttribute, as [DmaBuffer] does to DmaBufferAttribute.
        var names = NamesOf(
            "global using TaggedAttribute = DmaSafe.DmaBufferAttribute;",
            "public unsafe static class Elsewhere { public static void Tagged2([Tagged] byte* p) { } }");
        Assert.True(names.IsMethodName("Tagged2"));
        Assert.Contains("TaggedAttribute", names.AttributeNames);
        Assert.Contains("Tagged", names.AttributeNames);
    }

    [Fact]
    public void DelegateWithAMarkedParameterMakesEveryCallMaybe()
    {
        var names = NamesOf("public unsafe delegate void Sink([DmaSafe.DmaBuffer] byte* p);");
        Assert.True(names.DelegatesMaySink);
    }

    [Fact]
    public void MetadataNamesAreTheSameForASecondCompilationOfTheSameReferences()
    {
        // The metadata part is kept per referenced assembly symbol: a second compilation must get the same answer.
        var first = NamesOf("public class A { }");
        var second = NamesOf("public class B { }");
        Assert.True(first.IsMethodName("MapSingle"));
        Assert.True(second.IsMethodName("MapSingle"));
        Assert.True(second.IsConstructorTypeName("ScatterEntry"));
    }
}
