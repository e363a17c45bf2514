using System;
using System.IO;

namespace DmaSafe;

/// <summary>
/// A place in the driver's source: the caller's member, file and line exactly as the compiler passed them through
/// <c>[CallerMemberName]</c>, <c>[CallerFilePath]</c> and <c>[CallerLineNumber]</c>. Allocation sites and map sites
/// are both of this type; bounce attribution and the analyzer's DMA004 key on them.
/// </summary>
public sealed class SourceSite : IEquatable<SourceSite>
{
    /// <summary>Creates a site.</summary>
    public SourceSite(string member, string filePath, int line)
    {
        Member = member ?? string.Empty;
        FilePath = filePath ?? string.Empty;
        Line = line;
    }

    /// <summary>A site for code that passed no caller information.</summary>
    public static SourceSite Unknown { get; } = new(string.Empty, string.Empty, 0);

    /// <summary>The calling member's name.</summary>
    public string Member { get; }

    /// <summary>The calling file's path as the compiler saw it (absolute unless path maps were used).</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line of the call.</summary>
    public int Line { get; }

    /// <inheritdoc />
    public bool Equals(SourceSite? other) =>
        other is not null && Line == other.Line
        && string.Equals(FilePath, other.FilePath, StringComparison.Ordinal)
        && string.Equals(Member, other.Member, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SourceSite);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FilePath, Line, Member);

    /// <summary><c>Member (File.cs:42)</c>, or <c>&lt;unknown&gt;</c>.</summary>
    public override string ToString() =>
        FilePath.Length == 0 && Line == 0 ? "<unknown>" : $"{Member} ({Path.GetFileName(FilePath)}:{Line})";
}
