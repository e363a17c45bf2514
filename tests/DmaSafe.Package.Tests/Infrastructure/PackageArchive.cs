using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>A .nupkg opened as the zip it is.</summary>
internal sealed class PackageArchive : IDisposable
{
    // Open Packaging Conventions plumbing NuGet writes into every package; not part of what we ship.
    private static readonly string[] PlumbingPrefixes = { "_rels/", "package/services/", "[Content_Types].xml" };

    private readonly ZipArchive _zip;

    public PackageArchive(string path) => _zip = ZipFile.OpenRead(path);

    /// <summary>The package's own files (forward slashes), without the packaging plumbing.</summary>
    public IReadOnlyList<string> Files =>
        _zip.Entries.Select(e => e.FullName).Where(n => !PlumbingPrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal))).ToList();

    /// <summary>The nuspec's root element.</summary>
    public XElement Nuspec()
    {
        var entry = _zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = entry.Open();
        return XDocument.Load(stream).Root ?? throw new InvalidDataException("The nuspec has no root element.");
    }

    /// <summary>The bytes of one file.</summary>
    public byte[] Read(string path)
    {
        var entry = _zip.GetEntry(path) ?? throw new FileNotFoundException($"The package has no '{path}'; it has: {string.Join(", ", Files)}.");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Runs <paramref name="read"/> on the metadata of the assembly at <paramref name="path"/>.</summary>
    public T ReadMetadata<T>(string path, Func<MetadataReader, T> read)
    {
        using var pe = new PEReader(new MemoryStream(Read(path)));
        return read(pe.GetMetadataReader());
    }

    public void Dispose() => _zip.Dispose();
}
