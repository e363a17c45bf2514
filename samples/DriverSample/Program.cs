using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Runtime.CompilerServices;
using DmaSafe;
using DriverSample.Demo;
using DriverSample.Driver;

var policyOption = new Option<BouncePolicy?>("--policy")
{
    Description = "Run only this bounce policy (Never, KmallocSize, Alignment, Always); all four by default.",
};
var transfersOption = new Option<int>("--transfers")
{
    Description = "Burst reads per run.",
    DefaultValueFactory = _ => 2000,
};
var seedOption = new Option<int>("--seed")
{
    Description = "Seed for the ADC's data and the cache model's random eviction.",
    DefaultValueFactory = _ => 1,
};
var profileOption = new Option<FileInfo>("--profile-out")
{
    Description = "Where to write the bounce profile the analyzer reads (DMA004).",
    DefaultValueFactory = _ => new FileInfo(DefaultProfilePath()),
};

var root = new RootCommand("Runs an MCP3208-style SPI ADC driver on DmaSafe's simulated non-coherent machine, with the state struct as written and after the DMA001 fix, under every bounce policy.")
{
    policyOption, transfersOption, seedOption, profileOption,
};
transfersOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 1 or > 10_000_000)
    {
        result.AddError("--transfers must be between 1 and 10000000.");
    }
});
root.SetAction(parse => Run(parse.GetValue(policyOption), parse.GetValue(transfersOption), parse.GetValue(seedOption), parse.GetValue(profileOption)!));
return root.Parse(args).Invoke();

static int Run(BouncePolicy? only, int transfers, int seed, FileInfo profileOut)
{
    var policies = only is { } single ? new[] { single } : Enum.GetValues<BouncePolicy>();
    var progress = new ProgressBar(2L * policies.Length * transfers);
    var runs = new List<WorkloadResult>();
    foreach (var policy in policies)
    {
        runs.Add(Workload.Run<AdcState>("as written", policy, transfers, seed, _ => progress.Advance(256)));
        runs.Add(Workload.Run<AdcStateFixed>("DMA001 fix", policy, transfers, seed, _ => progress.Advance(256)));
    }

    progress.Finish();
    Console.WriteLine($"DmaSafe DriverSample: {transfers} burst reads of 64 samples per run, non-coherent SPI controller, random eviction, seed {seed}");
    Console.WriteLine();
    Report.PrintRuns(Console.Out, runs);
    Console.WriteLine();
    Console.WriteLine("The state struct as written, and after the DMA001 fix (pahole-style, 128-byte DMA lines):");
    Console.WriteLine(DmaLayout.Describe<AdcState>());
    Console.WriteLine(DmaLayout.Describe<AdcStateFixed>());
    var hot = runs.Find(r => r.Layout == "as written" && r.Policy == BouncePolicy.Alignment) ?? runs[0];
    Console.WriteLine($"Top bounce sites ({hot.Layout}, {hot.Policy}):");
    Console.WriteLine(hot.Profile.ToTable(5));
    // The default policy's profile is what a test run would record: it names the sites worth a [DmaAligned] or a fix.
    hot.Profile.Save(profileOut.FullName);
    Console.WriteLine($"Bounce profile ({hot.Profile.TotalBounces} bounces) written to {profileOut.FullName}; the next build shows DMA004 at its sites.");
    return 0;
}

static string DefaultProfilePath([CallerFilePath] string sourceFile = "")
{
    // Next to the sample's sources, so the next build of the sample picks it up as an AdditionalFile (DMA004).
    var folder = Path.GetDirectoryName(sourceFile);
    return Path.Combine(folder is { Length: > 0 } && Directory.Exists(folder) ? folder : Environment.CurrentDirectory, "DriverSample.dmabounces.json");
}
