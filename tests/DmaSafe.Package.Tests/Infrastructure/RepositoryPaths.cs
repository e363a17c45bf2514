using System;
using System.IO;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>Where the repository's projects are, found from the test assembly's folder (tests run from bin/).</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The folder that holds DmaSafe.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>src/DmaSafe.Package/DmaSafe.Package.csproj.</summary>
    public static string PackageProject => Path.Combine(Root, "src", "DmaSafe.Package", "DmaSafe.Package.csproj");

    /// <summary>src/DmaSafe.Runtime/DmaSafe.Runtime.csproj.</summary>
    public static string RuntimeProject => Path.Combine(Root, "src", "DmaSafe.Runtime", "DmaSafe.Runtime.csproj");

    /// <summary>Directory.Packages.props (central package versions).</summary>
    public static string CentralPackageVersions => Path.Combine(Root, "Directory.Packages.props");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DmaSafe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No DmaSafe.sln in '{AppContext.BaseDirectory}' or any folder above it; the end-to-end tests must run from a build inside the repository.");
    }
}
