using System.Collections.Generic;
using System.Collections.Immutable;

namespace DmaSafe.Analyzers.Profiles;

/// <summary>The kinds of JSON value <see cref="JsonReader"/> produces.</summary>
internal enum JsonKind
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// <summary>A parsed JSON value: immutable, with the 1-based line it started on for messages.</summary>
internal sealed class JsonValue
{
    private JsonValue(JsonKind kind, int line)
    {
        Kind = kind;
        Line = line;
    }

    public JsonKind Kind { get; }

    /// <summary>The 1-based line the value starts on.</summary>
    public int Line { get; }

    public bool Boolean { get; private set; }

    /// <summary>The number's text as written (integers are read exactly from it).</summary>
    public string NumberText { get; private set; } = string.Empty;

    public string String { get; private set; } = string.Empty;

    public ImmutableArray<JsonValue> Items { get; private set; } = ImmutableArray<JsonValue>.Empty;

    /// <summary>Members in document order; a duplicate name keeps the last value, as most readers do.</summary>
    public IReadOnlyDictionary<string, JsonValue> Members { get; private set; } = new Dictionary<string, JsonValue>();

    public static JsonValue Null(int line) => new(JsonKind.Null, line);

    public static JsonValue FromBoolean(bool value, int line) => new(JsonKind.Boolean, line) { Boolean = value };

    public static JsonValue FromNumber(string text, int line) => new(JsonKind.Number, line) { NumberText = text };

    public static JsonValue FromString(string value, int line) => new(JsonKind.String, line) { String = value };

    public static JsonValue FromArray(ImmutableArray<JsonValue> items, int line) => new(JsonKind.Array, line) { Items = items };

    public static JsonValue FromObject(Dictionary<string, JsonValue> members, int line) => new(JsonKind.Object, line) { Members = members };

    /// <summary>The member <paramref name="name"/> of an object, or null.</summary>
    public JsonValue? Member(string name) => Kind == JsonKind.Object && Members.TryGetValue(name, out var value) ? value : null;

    /// <summary>The number as a 64-bit integer when it is one exactly (no fraction, no exponent, in range).</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return Kind == JsonKind.Number
            && long.TryParse(NumberText, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
