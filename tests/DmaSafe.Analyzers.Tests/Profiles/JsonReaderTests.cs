using System.Linq;
using System.Text.Json.Nodes;
using CsCheck;
using DmaSafe.Analyzers.Profiles;
using JsonValue = DmaSafe.Analyzers.Profiles.JsonValue;
using Xunit;
using StjValue = System.Text.Json.Nodes.JsonValue;

namespace DmaSafe.Analyzers.Tests.Profiles;

/// <summary>The analyzer's own JSON reader, checked against System.Text.Json (which the tests may use; the analyzer may not).</summary>
public sealed class JsonReaderTests
{
    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.Bool.Select(_ => (JsonNode?)null),
        Gen.Bool.Select(b => (JsonNode?)StjValue.Create(b)),
        Gen.Long.Select(l => (JsonNode?)StjValue.Create(l)),
        Gen.Double.Where(d => double.IsFinite(d)).Select(d => (JsonNode?)StjValue.Create(d)),
        Gen.String.Select(s => (JsonNode?)StjValue.Create(s)));

    private static readonly Gen<JsonNode?> Node = Gen.Recursive<JsonNode?>((depth, self) =>
        depth >= 4
            ? Leaf
            : Gen.Frequency(
                (3, Leaf),
                (1, self.Array[0, 5].Select(items => (JsonNode?)new JsonArray(items.Select(item => item?.DeepClone()).ToArray()))),
                (1, Gen.Select(Gen.String[1, 8], self).Array[0, 5].Select(members =>
                {
                    var node = new JsonObject();
                    foreach (var (name, value) in members)
                    {
                        node[name] = value?.DeepClone();
                    }

                    return (JsonNode?)node;
                }))));

    [Fact]
    public void ReadsWhatSystemTextJsonWrites() =>
        Node.Sample(node =>
        {
            var text = node?.ToJsonString() ?? "null";
            Assert.True(JsonReader.TryParse(text, out var value, out var error), error + " in " + text);
            AssertSame(node, value!);
        }, iter: 2000);

    [Fact]
    public void NeverThrowsOnArbitraryText() =>
        Gen.String.Sample(text => { JsonReader.TryParse(text, out _, out _); }, iter: 5000);

    [Fact]
    public void NeverThrowsOnTruncatedProfiles()
    {
        const string profile = """{"schema":"dmasafe.bounces/1","sites":[{"allocation":{"file":"a.cs","line":3,"member":"M"},"map":{"file":"a.cs","line":4,"member":"M"},"count":2,"bytes":\u0031}]}""";
        for (var length = 0; length < profile.Length; length++)
        {
            JsonReader.TryParse(profile.Substring(0, length), out var value, out var error);
            Assert.Null(value);
            Assert.NotEmpty(error);
        }
    }

    [Theory]
    [InlineData("{\"a\":}", "unexpected character '}' at line 1, column 6")]
    [InlineData("[1,2", "expected ',' or ']' in an array at line 1, column 5")]
    [InlineData("{\n  \"a\": 01\n}", "expected ',' or '}' in an object at line 2, column 9")]
    [InlineData("\"tab\tin string\"", "control character in a string (escape it) at line 1, column 5")]
    [InlineData("[1] x", "unexpected text after the JSON value at line 1, column 5")]
    [InlineData("", "unexpected end of input at line 1, column 1")]
    public void ErrorsNameLineAndColumn(string text, string expected)
    {
        Assert.False(JsonReader.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void DeepNestingIsRefusedNotOverflowed()
    {
        var text = new string('[', 100_000) + new string(']', 100_000);
        Assert.False(JsonReader.TryParse(text, out _, out var error));
        Assert.StartsWith("nesting deeper than 64 levels", error);
    }

    [Fact]
    public void EscapesAndSurrogates()
    {
        Assert.True(JsonReader.TryParse("\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\"", out var value, out _));
        Assert.Equal("a\"b\\c/d\né😀", value!.String);
    }

    private static void AssertSame(JsonNode? expected, Analyzers.Profiles.JsonValue actual)
    {
        switch (expected)
        {
            case null:
                Assert.Equal(JsonKind.Null, actual.Kind);
                break;
            case JsonArray array:
                Assert.Equal(JsonKind.Array, actual.Kind);
                Assert.Equal(array.Count, actual.Items.Length);
                for (var i = 0; i < array.Count; i++)
                {
                    AssertSame(array[i], actual.Items[i]);
                }

                break;
            case JsonObject obj:
                Assert.Equal(JsonKind.Object, actual.Kind);
                Assert.Equal(obj.Count, actual.Members.Count);
                foreach (var (name, value) in obj)
                {
                    AssertSame(value, actual.Members[name]);
                }

                break;
            default:
                switch (expected.GetValueKind())
                {
                    case System.Text.Json.JsonValueKind.String:
                        Assert.Equal(expected.GetValue<string>(), actual.String);
                        break;
                    case System.Text.Json.JsonValueKind.Number:
                        Assert.Equal(JsonKind.Number, actual.Kind);
                        Assert.Equal(expected.ToJsonString(), actual.NumberText);
                        break;
                    default:
                        Assert.Equal(JsonKind.Boolean, actual.Kind);
                        Assert.Equal(expected.GetValue<bool>(), actual.Boolean);
                        break;
                }

                break;
        }
    }
}
