namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// Finds, in raw source text, a keyword used as a call with arguments (<c>new(p, n)</c>, <c>base(p)</c>,
/// <c>this(p)</c>): the calls whose syntax does not name the constructor they reach. Text, not syntax, so a whole file
/// can be ruled out without walking its tree; anything it cannot read for certain (a comment after the keyword) counts
/// as a call.
/// </summary>
internal static class KeywordCallText
{
    public static bool HasCallWithArguments(string text, string keyword) => NextCall(text, keyword, 0) >= 0;

    /// <summary>
    /// Where the next such call of <paramref name="keyword"/> starts (the keyword's first character) at or after
    /// <paramref name="from"/>, or -1.
    /// </summary>
    public static int NextCall(string text, string keyword, int from)
    {
        for (var at = text.IndexOf(keyword, from, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(keyword, at + keyword.Length, System.StringComparison.Ordinal))
        {
            if (at > 0 && IsIdentifierPart(text[at - 1]))
            {
                continue;
            }

            var next = SkipWhitespace(text, at + keyword.Length);
            if (next >= text.Length)
            {
                return -1;
            }

            if (text[next] == '/')
            {
                return at;
            }

            if (text[next] != '(')
            {
                continue;
            }

            var argument = SkipWhitespace(text, next + 1);
            if (argument >= text.Length || text[argument] != ')')
            {
                return at;
            }
        }

        return -1;
    }

    private static int SkipWhitespace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index;
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '@';
}
