using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>
/// Every analyzer and every code fixer over broken and real code: zero analyzer exceptions (AD0001), zero fixer
/// exceptions, and no fix that leaves its project with more compiler errors than it had. Sizes: see
/// <see cref="FuzzInputs"/>; each test prints how many inputs it tried.
/// </summary>
public sealed class AnalyzerRobustnessTests(ITestOutputHelper output)
{
    /// <summary>Fixers run on every n-th broken input (analyzers on all of them): fixing costs several compilations.</summary>
    private const int FixEveryNthBrokenInput = 8;

    /// <summary>Fixers run on every n-th mutant (analyzers on all).</summary>
    private const int FixEveryNthMutant = 3;

    [Fact]
    public Task Sample_prefixes_and_single_token_deletions() => PrefixesAndDeletionsAsync(FuzzInputs.Sample());

    [Fact]
    public Task Corpus_prefixes_and_single_token_deletions() => PrefixesAndDeletionsAsync(FuzzInputs.Corpus());

    [Fact]
    public async Task Random_mutants_of_the_sample_and_the_corpus()
    {
        var harness = new RobustnessHarness();
        var clock = Stopwatch.StartNew();
        var projects = new[] { FuzzInputs.Sample(), FuzzInputs.Corpus() };
        var random = new Random(FuzzInputs.Seed);
        for (var i = 0; i < FuzzInputs.MutantCount; i++)
        {
            var project = projects[i % projects.Length];
            var document = project.Documents[random.Next(project.Documents.Length)];
            var original = project.Text(document);
            var mutantSeed = random.Next();
            var mutant = SourceMutator.Mutate(original, new Random(mutantSeed), out var edits);
            var input = $"{project.Name}/{System.IO.Path.GetFileName(project.Solution.GetDocument(document)!.FilePath)} mutant (seed {mutantSeed}): {edits}";
            var broken = project.WithText(document, mutant);
            var diagnostics = await harness.AnalyzeAsync(broken, input);
            if (i % FixEveryNthMutant == 0)
            {
                await harness.FixAsync(broken, diagnostics, input, perId: 1);
            }
        }

        Report(harness, $"random mutants (seed {FuzzInputs.Seed})", clock.Elapsed);
    }

    [Fact]
    public async Task Every_project_of_the_repository()
    {
        var harness = new RobustnessHarness();
        var clock = Stopwatch.StartNew();
        var folders = RepositoryFiles.ProjectFolders();
        Assert.Contains(folders, f => f.EndsWith("DmaSafe.Runtime", StringComparison.Ordinal));
        var files = 0;
        foreach (var folder in folders)
        {
            var project = FuzzInputs.RepositoryProject(folder);
            files += project.Documents.Length;
            var started = clock.Elapsed;
            var diagnostics = await harness.AnalyzeAsync(project.Project, folder);
            var analyzed = clock.Elapsed;
            await harness.FixAsync(project.Project, diagnostics, folder);
            output.WriteLine($"{folder}: {project.Documents.Length} files, {diagnostics.Length} diagnostics, analyzed in {(analyzed - started).TotalSeconds:F1} s, fixed in {(clock.Elapsed - analyzed).TotalSeconds:F1} s");
        }

        Report(harness, $"{folders.Count} repository projects, {files} C# files", clock.Elapsed);
    }

    private async Task PrefixesAndDeletionsAsync(FuzzProject project)
    {
        var harness = new RobustnessHarness();
        var clock = Stopwatch.StartNew();

        // The unbroken project first: the fixers see every diagnostic of real code.
        var whole = await harness.AnalyzeAsync(project.Project, project.Name + " (unchanged)");
        Assert.NotEmpty(whole);
        await harness.FixAsync(project.Project, whole, project.Name + " (unchanged)");

        var tokens = 0;
        var broken = 0;
        foreach (var document in project.Documents)
        {
            var text = project.Text(document);
            var all = SourceMutator.Tokens(text);
            tokens += all.Count;
            var budget = FuzzInputs.EveryToken ? all.Count : Math.Max(8, FuzzInputs.CiPositionsPerProject * all.Count / Math.Max(1, TotalTokens(project)));
            var name = $"{project.Name}/{System.IO.Path.GetFileName(project.Solution.GetDocument(document)!.FilePath)}";
            foreach (var position in SourceMutator.Positions(all.Count, budget))
            {
                var token = all[position];
                foreach (var (kind, mutant) in new[] { ("prefix through", SourceMutator.PrefixThrough(text, token)), ("without", SourceMutator.WithoutToken(text, token)) })
                {
                    var input = $"{name} {kind} token {position} '{token.Text}' (offset {token.SpanStart})";
                    var changed = project.WithText(document, mutant);
                    var diagnostics = await harness.AnalyzeAsync(changed, input);
                    if (broken++ % FixEveryNthBrokenInput == 0)
                    {
                        await harness.FixAsync(changed, diagnostics, input, perId: 1);
                    }
                }
            }
        }

        Report(harness, $"{project.Name}: {project.Documents.Length} files, {tokens} tokens", clock.Elapsed);
    }

    private static int TotalTokens(FuzzProject project) => project.Documents.Sum(d => SourceMutator.Tokens(project.Text(d)).Count);

    private void Report(RobustnessHarness harness, string what, TimeSpan elapsed)
    {
        output.WriteLine($"{what}: {harness.Summary()} in {elapsed.TotalSeconds:F1} s");
        Assert.True(harness.FailureCount == 0, $"{harness.FailureCount} failures ({harness.Summary()}); first ones:\n\n" + string.Join("\n\n", harness.Failures));
    }
}
