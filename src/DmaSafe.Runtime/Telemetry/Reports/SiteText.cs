namespace DmaSafe;

/// <summary>Sites written for logs and traces: the full path (clickable in most terminals and IDEs), not just the file name.</summary>
internal static class SiteText
{
    public static string Full(SourceSite site) =>
        site.FilePath.Length == 0 && site.Line == 0 ? "<unknown>" : $"{site.Member} ({site.FilePath}:{site.Line})";
}
