using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>The repository's own C# files, found from the test's output folder (the folder holding DmaSafe.sln) or DMASAFE_REPO_ROOT.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>Every .cs file under <paramref name="folder"/> (relative to the root), bin and obj excluded, in a stable order.</summary>
    public static IReadOnlyList<(string Path, string Text)> CSharpFiles(string folder)
    {
        var start = Path.Combine(Root, folder);
        if (!Directory.Exists(start))
        {
            return Array.Empty<(string, string)>();
        }

        return Directory.EnumerateFiles(start, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(path))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(path)))
            .ToList();
    }

    /// <summary>The folders holding a .csproj, each a project whose files compile together.</summary>
    public static IReadOnlyList<string> ProjectFolders() =>
        Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(path))
            .Select(path => Path.GetRelativePath(Root, Path.GetDirectoryName(path)!))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToList();

    private static bool IsBuildOutput(string path)
    {
        var parts = path.Split(Path.DirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj");
    }

    private static string FindRoot()
    {
        // A copied test output (e.g. a long run beside a rebuild) names the repository explicitly.
        if (Environment.GetEnvironmentVariable("DMASAFE_REPO_ROOT") is { Length: > 0 } explicitRoot)
        {
            return explicitRoot;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DmaSafe.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no DmaSafe.sln above {AppContext.BaseDirectory}: the robustness tests read the repository's own sources");
    }
}
