using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>
/// Packs src/DmaSafe.Package once for the test run into a temporary folder feed, under a version no other run uses
/// (NuGet caches packages by id and version forever), and removes the feed, the scratch projects and the cached copy
/// afterwards. The build runs with its own artifacts path, so it neither reads nor overwrites the repository's bin/obj.
/// Set DMASAFE_E2E_KEEP=1 to keep the temporary folder for a look after a failure.
/// </summary>
public sealed class PackedPackageFixture : IAsyncLifetime
{
    /// <summary>Packing builds the runtime twice and both Roslyn projects: minutes on a busy 2-core box at worst.</summary>
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);

    /// <summary>The temporary folder holding the feed, the build artifacts, tools and every scratch project.</summary>
    public string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), "dmasafe-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A version unique to this run: the global packages folder can never hold a stale copy of it.</summary>
    public string Version { get; } = "0.0.0-e2e.g" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The folder feed the package was packed into.</summary>
    public string Feed => Path.Combine(WorkRoot, "feed");

    /// <summary>The packed .nupkg.</summary>
    public string PackagePath => Path.Combine(Feed, $"DmaSafe.{Version}.nupkg");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkRoot);
        // Scratch projects live below WorkRoot: these stop MSBuild and NuGet from picking up files above the temp folder.
        File.WriteAllText(Path.Combine(WorkRoot, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkRoot, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkRoot, "Directory.Packages.props"), "<Project />\n");

        var result = await ProcessRunner.DotnetAsync(
            RepositoryPaths.Root,
            PackTimeout,
            "pack",
            RepositoryPaths.PackageProject,
            "-c",
            "Release",
            "--artifacts-path",
            Path.Combine(WorkRoot, "artifacts"),
            "-o",
            Feed,
            $"-p:Version={Version}");
        result.EnsureSuccess();
        if (!File.Exists(PackagePath))
        {
            var found = Directory.Exists(Feed) ? string.Join(", ", Directory.GetFiles(Feed).Select(Path.GetFileName)) : "(no feed folder)";
            throw new InvalidOperationException($"dotnet pack succeeded but {PackagePath} is missing; the feed holds: {found}.{Environment.NewLine}{result.Describe()}");
        }
    }

    /// <summary>A new, empty folder below <see cref="WorkRoot"/> for one scratch project.</summary>
    public string NewScratchDirectory(string name)
    {
        var path = Path.Combine(WorkRoot, "scratch", name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("DMASAFE_E2E_KEEP") == "1")
        {
            return Task.CompletedTask;
        }

        DeleteIfPresent(WorkRoot);
        DeleteIfPresent(Path.Combine(GlobalPackagesFolder(), "dmasafe", Version.ToLowerInvariant()));
        return Task.CompletedTask;
    }

    private static string GlobalPackagesFolder()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return !string.IsNullOrEmpty(configured)
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    private static void DeleteIfPresent(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A tool that is still shutting down may hold a file; the folder is temporary and uniquely named either way.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

/// <summary>Every end-to-end test shares one packed package and runs one at a time (they all drive the 2 cores hard).</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackageFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed DmaSafe package";
}
