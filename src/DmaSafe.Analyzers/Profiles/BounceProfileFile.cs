using System;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.Text;

namespace DmaSafe.Analyzers.Profiles;

/// <summary>
/// One <c>*.dmabounces.json</c> AdditionalFile, parsed against the <c>dmasafe.bounces/1</c> schema
/// (docs/bounce-profile.md): a top-level object with "schema" and "sites", each site with "allocation" and "map"
/// ({file, line, member}), "count" and "bytes". Other members are ignored, so the runtime may add fields freely.
/// A file that does not fit gives <see cref="Error"/> and no sites.
/// </summary>
internal sealed class BounceProfileFile
{
    /// <summary>The schema this analyzer reads.</summary>
    public const string SchemaId = "dmasafe.bounces/1";

    /// <summary>The file-name suffix the runtime writes and the analyzer looks for.</summary>
    public const string FileSuffix = ".dmabounces.json";

    // Keyed by the SourceText instance: hosts hand the same instance for an unchanged file to every compilation and
    // every analyzer, so a profile is parsed once; the weak table lets edited versions be collected.
    private static readonly ConditionalWeakTable<SourceText, BounceProfileFile> Cache = new();

    private BounceProfileFile(string name, ImmutableArray<ProfileSite> sites, string? error)
    {
        Name = name;
        Sites = sites;
        Error = error;
    }

    /// <summary>The file name (no directory), for messages.</summary>
    public string Name { get; }

    public ImmutableArray<ProfileSite> Sites { get; }

    /// <summary>Why the file cannot be used, or null.</summary>
    public string? Error { get; }

    public static bool IsProfilePath(string? path) =>
        path is not null && path.EndsWith(FileSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The parsed profile for <paramref name="text"/>, from the cache when this exact text was parsed before.</summary>
    public static BounceProfileFile Get(string path, SourceText text) =>
        Cache.GetValue(text, key => Parse(Path.GetFileName(path), key.ToString()));

    /// <summary>Parses profile JSON; never throws.</summary>
    public static BounceProfileFile Parse(string name, string json)
    {
        if (!JsonReader.TryParse(json, out var root, out var syntaxError) || root is null)
        {
            return Failed(name, "not valid JSON (" + syntaxError + ")");
        }

        if (root.Kind != JsonKind.Object)
        {
            return Failed(name, "a bounce profile is a JSON object with \"schema\" and \"sites\"");
        }

        var schema = root.Member("schema");
        if (schema is null || schema.Kind != JsonKind.String)
        {
            return Failed(name, "no \"schema\" string; expected \"" + SchemaId + "\"");
        }

        if (!string.Equals(schema.String, SchemaId, StringComparison.Ordinal))
        {
            return Failed(name, "schema \"" + schema.String + "\" is not supported; this analyzer reads \"" + SchemaId + "\"");
        }

        var sites = root.Member("sites");
        if (sites is null || sites.Kind != JsonKind.Array)
        {
            return Failed(name, "no \"sites\" array");
        }

        var result = ImmutableArray.CreateBuilder<ProfileSite>(sites.Items.Length);
        for (var i = 0; i < sites.Items.Length; i++)
        {
            var where = "sites[" + i.ToString(CultureInfo.InvariantCulture) + "] (line " + sites.Items[i].Line.ToString(CultureInfo.InvariantCulture) + ")";
            var site = sites.Items[i];
            if (site.Kind != JsonKind.Object)
            {
                return Failed(name, where + " is not an object");
            }

            if (!TryReadPlace(site.Member("allocation"), out var allocation, out var placeError))
            {
                return Failed(name, where + ".allocation " + placeError);
            }

            if (!TryReadPlace(site.Member("map"), out var map, out placeError))
            {
                return Failed(name, where + ".map " + placeError);
            }

            if (!TryReadCount(site.Member("count"), out var count))
            {
                return Failed(name, where + ".count is not a non-negative integer");
            }

            if (!TryReadCount(site.Member("bytes"), out var bytes))
            {
                return Failed(name, where + ".bytes is not a non-negative integer");
            }

            result.Add(new ProfileSite(allocation!, map!, count, bytes, name));
        }

        return new BounceProfileFile(name, result.MoveToImmutable(), null);
    }

    private static bool TryReadPlace(JsonValue? value, out SourcePlace? place, out string error)
    {
        place = null;
        error = string.Empty;
        if (value is null || value.Kind != JsonKind.Object)
        {
            error = "is missing or not an object {file, line, member}";
            return false;
        }

        var file = value.Member("file");
        var line = value.Member("line");
        var member = value.Member("member");
        if (file is null || file.Kind != JsonKind.String)
        {
            error = "has no \"file\" string";
            return false;
        }

        if (line is null || !line.TryGetInt64(out var lineNumber) || lineNumber < 0 || lineNumber > int.MaxValue)
        {
            error = "has no non-negative integer \"line\"";
            return false;
        }

        if (member is not null && member.Kind is not (JsonKind.String or JsonKind.Null))
        {
            error = "has a \"member\" that is not a string";
            return false;
        }

        place = new SourcePlace(file.String, (int)lineNumber, member?.Kind == JsonKind.String ? member.String : string.Empty);
        return true;
    }

    private static bool TryReadCount(JsonValue? value, out long count)
    {
        count = 0;
        return value is not null && value.TryGetInt64(out count) && count >= 0;
    }

    private static BounceProfileFile Failed(string name, string error) => new(name, ImmutableArray<ProfileSite>.Empty, error);
}
