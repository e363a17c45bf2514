using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DmaSafe;

/// <summary>
/// The <c>dmasafe.bounces/1</c> JSON schema (docs/bounce-profile.md), written and read by hand with
/// <see cref="Utf8JsonWriter"/> and <see cref="JsonDocument"/> so the property names are the schema, visible in one
/// place, and nothing depends on reflection (the runtime is trimmable).
/// </summary>
internal static class BounceProfileJson
{
    // Relaxed escaping keeps paths and times readable ('+' and non-ASCII letters stay as they are); still valid JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(BounceProfile profile, Stream utf8Json)
    {
        var sites = profile.Sites;
        using var writer = new Utf8JsonWriter(utf8Json, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("schema", BounceProfile.SchemaId);
        writer.WriteNumber("lineSize", profile.LineSize);

        // Totals are written from the sites just snapshotted, so a profile recorded to while it is saved stays consistent.
        writer.WriteNumber("totalBounces", sites.Sum(site => site.Count));
        writer.WriteNumber("totalBouncedBytes", sites.Sum(site => site.Bytes));
        writer.WriteStartArray("sites");
        foreach (var site in sites)
        {
            WriteSite(writer, site);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static BounceProfile Read(byte[] utf8Json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({error.Message}).", error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: a bounce profile is a JSON object, not {root.ValueKind}.");
            }

            var schema = RequiredString(root, "schema", source);
            if (schema != BounceProfile.SchemaId)
            {
                throw new InvalidDataException($"{source}: schema '{schema}' is not supported; this runtime reads '{BounceProfile.SchemaId}'.");
            }

            var lineSize = RequiredInt(root, "lineSize", source);
            if (!MachineOptions.IsPowerOfTwo(lineSize) || lineSize > 65536)
            {
                throw new InvalidDataException($"{source}: lineSize {lineSize} is not a power of two from 1 to 65536.");
            }

            var profile = new BounceProfile(lineSize);
            var sites = Required(root, "sites", JsonValueKind.Array, source);
            var index = 0;
            foreach (var element in sites.EnumerateArray())
            {
                profile.Add(ReadSite(element, lineSize, $"{source}: sites[{index}]"));
                index++;
            }

            CheckTotal(root, "totalBounces", profile.TotalBounces, source);
            CheckTotal(root, "totalBouncedBytes", profile.TotalBouncedBytes, source);
            return profile;
        }
    }

    private static void WriteSite(Utf8JsonWriter writer, BounceSite site)
    {
        writer.WriteStartObject();
        WriteSourceSite(writer, "allocation", site.AllocationSite);
        WriteSourceSite(writer, "map", site.MapSite);
        writer.WriteNumber("count", site.Count);
        writer.WriteNumber("bytes", site.Bytes);
        writer.WriteStartObject("directions");
        foreach (var (direction, count) in site.Directions.OrderBy(pair => pair.Key))
        {
            writer.WriteNumber(direction.ToString(), count);
        }

        writer.WriteEndObject();
        WriteHistogram(writer, "offsetInLine", site.OffsetInLine);
        WriteHistogram(writer, "sizeModLine", site.SizeModLine);
        writer.WriteString("firstSeen", site.FirstSeen.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString("lastSeen", site.LastSeen.ToString("O", CultureInfo.InvariantCulture));
        if (site.ExampleStack is null)
        {
            writer.WriteNull("exampleStack");
        }
        else
        {
            writer.WriteString("exampleStack", site.ExampleStack);
        }

        writer.WriteEndObject();
    }

    private static void WriteSourceSite(Utf8JsonWriter writer, string name, SourceSite site)
    {
        writer.WriteStartObject(name);
        writer.WriteString("file", site.FilePath);
        writer.WriteNumber("line", site.Line);
        writer.WriteString("member", site.Member);
        writer.WriteEndObject();
    }

    private static void WriteHistogram(Utf8JsonWriter writer, string name, IReadOnlyDictionary<int, long> histogram)
    {
        writer.WriteStartArray(name);
        foreach (var (value, count) in histogram.OrderBy(pair => pair.Key))
        {
            writer.WriteStartObject();
            writer.WriteNumber("value", value);
            writer.WriteNumber("count", count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static BounceSite ReadSite(JsonElement element, int lineSize, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: a site is a JSON object, not {element.ValueKind}.");
        }

        var count = RequiredLong(element, "count", where);
        var bytes = RequiredLong(element, "bytes", where);
        if (count < 0 || bytes < 0)
        {
            throw new InvalidDataException($"{where}: count ({count}) and bytes ({bytes}) must not be negative.");
        }

        var directions = ReadDirections(element, count, where);
        return new BounceSite(ReadSourceSite(element, "allocation", where), ReadSourceSite(element, "map", where), count, bytes)
        {
            Directions = directions,
            OffsetInLine = ReadHistogram(element, "offsetInLine", lineSize, count, where),
            SizeModLine = ReadHistogram(element, "sizeModLine", lineSize, count, where),
            FirstSeen = OptionalTime(element, "firstSeen", where),
            LastSeen = OptionalTime(element, "lastSeen", where),
            ExampleStack = element.TryGetProperty("exampleStack", out var stack) && stack.ValueKind == JsonValueKind.String ? stack.GetString() : null,
        };
    }

    private static SourceSite ReadSourceSite(JsonElement site, string name, string where)
    {
        var element = Required(site, name, JsonValueKind.Object, where);
        var here = $"{where}.{name}";
        return new SourceSite(RequiredString(element, "member", here), RequiredString(element, "file", here), RequiredInt(element, "line", here));
    }

    private static IReadOnlyDictionary<DmaDirection, long> ReadDirections(JsonElement site, long count, string where)
    {
        var directions = new Dictionary<DmaDirection, long>();
        if (!site.TryGetProperty("directions", out var element))
        {
            return directions;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}.directions: expected an object of direction name to count, not {element.ValueKind}.");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!Enum.TryParse<DmaDirection>(property.Name, ignoreCase: false, out var direction)
                || !Enum.IsDefined(direction)
                || direction == DmaDirection.None
                || int.TryParse(property.Name, out _))
            {
                throw new InvalidDataException($"{where}.directions: '{property.Name}' is not a mapping direction (Bidirectional, ToDevice, FromDevice).");
            }

            directions[direction] = ReadCount(property.Value, $"{where}.directions.{property.Name}");
        }

        CheckSum(directions.Values, count, $"{where}.directions");
        return new ReadOnlyDictionary<DmaDirection, long>(directions);
    }

    private static IReadOnlyDictionary<int, long> ReadHistogram(JsonElement site, string name, int lineSize, long count, string where)
    {
        var histogram = new SortedDictionary<int, long>();
        if (!site.TryGetProperty(name, out var element))
        {
            return new ReadOnlyDictionary<int, long>(histogram);
        }

        var here = $"{where}.{name}";
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{here}: expected an array of {{\"value\", \"count\"}} objects, not {element.ValueKind}.");
        }

        var index = 0;
        foreach (var bucket in element.EnumerateArray())
        {
            var at = $"{here}[{index}]";
            if (bucket.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{at}: expected an object with \"value\" and \"count\", not {bucket.ValueKind}.");
            }

            var value = RequiredInt(bucket, "value", at);
            if (value < 0 || value >= lineSize)
            {
                throw new InvalidDataException($"{at}: value {value} is outside the line (0 to {lineSize - 1}).");
            }

            histogram[value] = histogram.GetValueOrDefault(value) + ReadCount(Required(bucket, "count", JsonValueKind.Number, at), $"{at}.count");
            index++;
        }

        CheckSum(histogram.Values, count, here);
        return new ReadOnlyDictionary<int, long>(histogram);
    }

    private static void CheckSum(IEnumerable<long> counts, long expected, string where)
    {
        var sum = counts.Sum();
        if (sum != 0 && sum != expected)
        {
            throw new InvalidDataException($"{where}: the counts add up to {sum}, but the site's count is {expected}.");
        }
    }

    private static void CheckTotal(JsonElement root, string name, long fromSites, string source)
    {
        if (root.TryGetProperty(name, out _) && RequiredLong(root, name, source) != fromSites)
        {
            throw new InvalidDataException($"{source}: {name} is {RequiredLong(root, name, source)}, but the sites add up to {fromSites}.");
        }
    }

    private static DateTimeOffset OptionalTime(JsonElement site, string name, string where)
    {
        if (!site.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return default;
        }

        if (element.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
        {
            throw new InvalidDataException($"{where}.{name}: expected an ISO 8601 date and time, not {element}.");
        }

        return time.ToUniversalTime();
    }

    private static long ReadCount(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var count) || count < 0)
        {
            throw new InvalidDataException($"{where}: expected a non-negative whole number, not {element}.");
        }

        return count;
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string where)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            throw new InvalidDataException($"{where}: the required property \"{name}\" is missing.");
        }

        if (element.ValueKind != kind)
        {
            throw new InvalidDataException($"{where}: \"{name}\" must be {kind}, not {element.ValueKind}.");
        }

        return element;
    }

    private static string RequiredString(JsonElement parent, string name, string where) =>
        Required(parent, name, JsonValueKind.String, where).GetString()!;

    private static long RequiredLong(JsonElement parent, string name, string where)
    {
        var element = Required(parent, name, JsonValueKind.Number, where);
        return element.TryGetInt64(out var value)
            ? value
            : throw new InvalidDataException($"{where}: \"{name}\" must be a whole number, not {element}.");
    }

    private static int RequiredInt(JsonElement parent, string name, string where)
    {
        var element = Required(parent, name, JsonValueKind.Number, where);
        return element.TryGetInt32(out var value)
            ? value
            : throw new InvalidDataException($"{where}: \"{name}\" must be a whole number in the 32-bit range, not {element}.");
    }
}
