using System;

namespace DmaSafe.Analyzers.Profiles;

/// <summary>
/// Whether a path recorded by [CallerFilePath] (possibly on another machine, or path-mapped to <c>/_/</c>) names a
/// syntax tree of this compilation: the same path, or at least the file name and its directory at the end.
/// </summary>
internal static class SourcePathMatch
{
    public static bool Matches(string recorded, string treePath)
    {
        if (recorded.Length == 0 || treePath.Length == 0)
        {
            return false;
        }

        var a = Normalize(recorded);
        var b = Normalize(treePath);
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var aParts = a.Split('/');
        var bParts = b.Split('/');
        var same = 0;
        while (same < aParts.Length && same < bParts.Length
            && string.Equals(aParts[aParts.Length - 1 - same], bParts[bParts.Length - 1 - same], StringComparison.OrdinalIgnoreCase))
        {
            same++;
        }

        // A bare file name in the profile matches by name; otherwise the name and its directory must both agree.
        return same >= 2 || (same == 1 && (aParts.Length == 1 || bParts.Length == 1));
    }

    /// <summary>
    /// The last component of <paramref name="path"/> after normalising separators. Every path that
    /// <see cref="Matches"/> pairs shares this name (ignoring case), so it is a safe key to narrow candidates by.
    /// </summary>
    public static string FileName(string path)
    {
        var normalized = Normalize(path);
        return normalized.Substring(normalized.LastIndexOf('/') + 1);
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimEnd('/');
}
