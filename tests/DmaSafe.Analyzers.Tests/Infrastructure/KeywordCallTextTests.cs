using DmaSafe.Analyzers.Infrastructure;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Infrastructure;

public sealed class KeywordCallTextTests
{
    [Theory]
    [InlineData("ScatterEntry e = new(p, 8);")]
    [InlineData("ScatterEntry e = new (p, 8);")]
    [InlineData("ScatterEntry e = new\n(\n p, 8);")]
    [InlineData("ScatterEntry e = new /* entry */ (p, 8);")]
    [InlineData("public Derived(byte* p) : base(p) { }")]
    [InlineData("public Derived() : this( p) { }")]
    [InlineData("x = new()); y = new(p);")]
    public void FindsKeywordCallsWithArguments(string text) =>
        Assert.True(KeywordCallText.HasCallWithArguments(text, "new") || KeywordCallText.HasCallWithArguments(text, "base") || KeywordCallText.HasCallWithArguments(text, "this"));

    [Theory]
    [InlineData("object gate = new();")]
    [InlineData("var a = new byte[4]; var b = new Foo(1);")]
    [InlineData("renew(p); news(p); this.Send(p); @base(p)")]
    [InlineData("public Derived() : base() { }")]
    [InlineData("static void Ext(this byte* p) { }")]
    [InlineData("new")]
    public void IgnoresEverythingElse(string text) =>
        Assert.False(KeywordCallText.HasCallWithArguments(text, "new") || KeywordCallText.HasCallWithArguments(text, "base") || KeywordCallText.HasCallWithArguments(text, "this"));
}
