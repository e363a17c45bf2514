using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DmaSafe.Package.Tests.Infrastructure;
using Xunit;

namespace DmaSafe.Package.Tests;

/// <summary>
/// The data-driven loop through the package: a run saves its bounce profile into the project folder, and the next
/// build shows DMA004 at the recorded sites because buildTransitive hands the file to the analyzers.
/// </summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BounceProfileFeedbackTests
{
    private readonly PackedPackageFixture _package;

    public BounceProfileFeedbackTests(PackedPackageFixture package) => _package = package;

    [Fact]
    public async Task A_profile_saved_by_a_run_makes_the_next_build_report_DMA004_at_the_allocation_and_the_mapping()
    {
        var project = ScratchProject.Create(_package, "Feedback", "net10.0");
        project.WriteFile("Program.cs", ConsumerSources.Driver);
        var (first, beforeProfile) = await project.BuildWithErrorLogAsync();
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Empty(ScratchProject.WithRule(beforeProfile, "DMA004"));

        var run = (await project.RunBuiltAsync("net10.0", project.Directory)).EnsureSuccess();
        var profile = Path.Combine(project.Directory, "driver.dmabounces.json");
        Assert.True(File.Exists(profile), "The driver saved no profile: " + run.Describe());

        var (second, afterProfile) = await project.BuildWithErrorLogAsync();
        Assert.True(second.ExitCode == 0, second.Describe());
        var hotSpots = ScratchProject.WithRule(afterProfile, "DMA004");
        var allocation = SourcePosition.Of(ConsumerSources.Driver, ConsumerSources.DriverAllocationLine, "machine.Kzalloc");
        var map = SourcePosition.Of(ConsumerSources.Driver, ConsumerSources.DriverMapLine, "device.MapSingle");
        var found = hotSpots.Select(d => (d.StartLine, d.StartColumn)).Order().ToArray();
        Assert.True(
            found.SequenceEqual(new[] { (allocation.Line, allocation.Column), (map.Line, map.Column) }.Order()),
            $"Expected DMA004 at {allocation} and {map}; got:{Environment.NewLine}{string.Join(Environment.NewLine, hotSpots.Select(h => h.ToString()))}");
        Assert.All(hotSpots, h => Assert.Contains("driver.dmabounces.json", h.Message, StringComparison.Ordinal));
    }
}
