using System;
using System.IO;
using System.Text;

namespace DmaSafe;

// Reading and writing a profile as JSON: strings, streams and <name>.dmabounces.json files (schema in BounceProfileJson).
public sealed partial class BounceProfile
{
    /// <summary>The profile as indented JSON in the <see cref="SchemaId"/> schema.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        WriteJson(buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the profile as UTF-8 JSON in the <see cref="SchemaId"/> schema to <paramref name="utf8Json"/>.</summary>
    public void WriteJson(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        BounceProfileJson.Write(this, utf8Json);
    }

    /// <summary>
    /// Writes the profile to <paramref name="path"/>, which must end in <see cref="FileExtension"/> so the analyzer
    /// (DMA004) picks it up as an AdditionalFile. The file is replaced whole, never left half-written.
    /// </summary>
    /// <exception cref="ArgumentException">The path does not end in <c>.dmabounces.json</c>.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(FileExtension, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"A bounce profile file must be named <name>{FileExtension} (the analyzer reads only those), not '{path}'.", nameof(path));
        }

        var full = Path.GetFullPath(path);
        var temporary = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                WriteJson(file);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the profile to <c>&lt;directory&gt;/&lt;name&gt;.dmabounces.json</c> and returns that path.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains a path separator or an invalid file name character.</exception>
    public string SaveTo(string directory, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/') || name.Contains('\\'))
        {
            throw new ArgumentException($"The profile name '{name}' must be a plain file name without separators.", nameof(name));
        }

        var path = Path.Combine(directory, name + FileExtension);
        Save(path);
        return path;
    }

    /// <summary>Reads a profile written by <see cref="ToJson"/>, <see cref="WriteJson"/> or <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, of another schema, or inconsistent; the message says where.</exception>
    public static BounceProfile FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return BounceProfileJson.Read(Encoding.UTF8.GetBytes(json), "JSON text");
    }

    /// <summary>Reads a profile from UTF-8 JSON.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, of another schema, or inconsistent; the message says where.</exception>
    public static BounceProfile ReadJson(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var buffer = new MemoryStream();
        utf8Json.CopyTo(buffer);
        return BounceProfileJson.Read(buffer.ToArray(), "JSON stream");
    }

    /// <summary>Reads a <c>.dmabounces.json</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed, of another schema, or inconsistent; the message names the file and the place.</exception>
    public static BounceProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return BounceProfileJson.Read(File.ReadAllBytes(path), path);
    }
}
