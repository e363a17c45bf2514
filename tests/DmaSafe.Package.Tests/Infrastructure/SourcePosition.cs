using System;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>A 1-based line and column in a source text (columns in UTF-16 code units, as SARIF and LSP count them).</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    /// <summary>
    /// Where <paramref name="token"/> starts inside the only line of <paramref name="source"/> that contains
    /// <paramref name="lineText"/>, so expected locations follow the source instead of being counted by hand.
    /// </summary>
    public static SourcePosition Of(string source, string lineText, string token)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var found = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(lineText, StringComparison.Ordinal))
            {
                if (found >= 0)
                {
                    throw new ArgumentException($"'{lineText}' occurs on lines {found + 1} and {i + 1}; the expectation must name one line.", nameof(lineText));
                }

                found = i;
            }
        }

        if (found < 0)
        {
            throw new ArgumentException($"No line contains '{lineText}'.", nameof(lineText));
        }

        var lineStart = lines[found].IndexOf(lineText, StringComparison.Ordinal);
        var column = lines[found].IndexOf(token, lineStart, StringComparison.Ordinal);
        if (column < 0)
        {
            throw new ArgumentException($"'{token}' is not in '{lineText}'.", nameof(token));
        }

        return new SourcePosition(found + 1, column + 1);
    }
}
