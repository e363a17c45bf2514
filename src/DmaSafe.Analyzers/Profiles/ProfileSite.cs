namespace DmaSafe.Analyzers.Profiles;

/// <summary>A place in source as the runtime recorded it from caller information.</summary>
internal sealed class SourcePlace
{
    public SourcePlace(string file, int line, string member)
    {
        File = file;
        Line = line;
        Member = member;
    }

    /// <summary>The path exactly as [CallerFilePath] gave it (may be empty for unknown sites).</summary>
    public string File { get; }

    /// <summary>The 1-based line from [CallerLineNumber] (0 for unknown sites).</summary>
    public int Line { get; }

    /// <summary>The member from [CallerMemberName] (may be empty).</summary>
    public string Member { get; }

    public bool IsKnown => File.Length > 0 && Line > 0;

    /// <summary><c>Member (File.cs:42)</c>, like the runtime's SourceSite.</summary>
    public override string ToString()
    {
        var name = File;
        var slash = name.LastIndexOfAny(new[] { '/', '\\' });
        if (slash >= 0)
        {
            name = name.Substring(slash + 1);
        }

        return (Member.Length > 0 ? Member + " " : string.Empty) + "(" + name + ":" + Line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
    }
}

/// <summary>One row of a profile: bounces attributed to an allocation site and a map site.</summary>
internal sealed class ProfileSite
{
    public ProfileSite(SourcePlace allocation, SourcePlace map, long count, long bytes, string profileName)
    {
        Allocation = allocation;
        Map = map;
        Count = count;
        Bytes = bytes;
        ProfileName = profileName;
    }

    public SourcePlace Allocation { get; }

    public SourcePlace Map { get; }

    public long Count { get; }

    public long Bytes { get; }

    /// <summary>The file name of the profile the row came from.</summary>
    public string ProfileName { get; }
}
