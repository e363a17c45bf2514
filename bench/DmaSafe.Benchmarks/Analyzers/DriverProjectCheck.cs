using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// Proves the generated project is worth measuring before it is measured: it compiles without errors, the DmaSafe
/// analyzers run on it without an exception (AD0001), and they report what the generator put in, per rule; also how
/// long each analyzer took in that one run (the driver's own per-analyzer clock, as -p:ReportAnalyzer=true shows).
/// The csc-style build (<see cref="CscStyleBuild"/>: emit with the driver attached) must emit and report the same.
/// </summary>
internal sealed record DriverProjectCheck(
    IReadOnlyList<Diagnostic> CompilerErrors,
    IReadOnlyDictionary<string, int> Found,
    IReadOnlyDictionary<string, int> Expected,
    IReadOnlyList<(string Analyzer, TimeSpan Time)> AnalyzerTimes,
    bool CscStyleEmitted,
    IReadOnlyDictionary<string, int> FoundByCscStyleBuild)
{
    public static async Task<DriverProjectCheck> RunAsync(DriverProjectCompilation compilation)
    {
        var errors = compilation.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var analyzers = DmaSafeAnalyzerSet.Create();
        var withAnalyzers = compilation.WithAnalyzers(analyzers, logExecutionTime: true);
        var found = CountById(await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false));
        var (emit, cscDiagnostics) = compilation.CscStyle(analyzers).Run(compilation.Fresh());

        var times = new List<(string, TimeSpan)>();
        foreach (var analyzer in analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false);
            times.Add((analyzer.GetType().Name, telemetry.ExecutionTime));
        }

        return new DriverProjectCheck(errors, found, compilation.Project.ExpectedDiagnostics, times, emit.Success, CountById(cscDiagnostics));
    }

    private static SortedDictionary<string, int> CountById(IEnumerable<Diagnostic> diagnostics)
    {
        var found = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics)
        {
            found[diagnostic.Id] = found.GetValueOrDefault(diagnostic.Id) + 1;
        }

        return found;
    }

    /// <summary>
    /// True when the project compiles, no analyzer threw, every rule reported exactly what was planted, and the
    /// csc-style build emitted and reported the same.
    /// </summary>
    public bool Matches =>
        CompilerErrors.Count == 0
        && !Found.ContainsKey("AD0001")
        && Expected.Keys.Union(Found.Keys).All(id => Expected.GetValueOrDefault(id) == Found.GetValueOrDefault(id))
        && CscStyleEmitted
        && Found.Keys.Union(FoundByCscStyleBuild.Keys).All(id => Found.GetValueOrDefault(id) == FoundByCscStyleBuild.GetValueOrDefault(id));

    /// <summary>Throws with the whole report when the project cannot be measured (errors, crashes, no diagnostics, or a csc-style build that did not emit).</summary>
    public void ThrowIfUnusable()
    {
        if (CompilerErrors.Count > 0 || Found.ContainsKey("AD0001") || Found.Count == 0 || !CscStyleEmitted)
        {
            throw new InvalidOperationException("The generated project is not fit to benchmark:\n" + Describe());
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        var project = Expected;
        text.Append(CultureInfo.InvariantCulture, $"compiler errors: {CompilerErrors.Count}\n");
        foreach (var error in CompilerErrors.Take(10))
        {
            text.Append("  ").Append(error.ToString()).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"csc-style build (emit with the driver attached): {(CscStyleEmitted ? "emitted" : "emit FAILED")}\n");
        text.Append("rule     expected  found  csc-style\n");
        foreach (var id in Expected.Keys.Union(Found.Keys).Union(FoundByCscStyleBuild.Keys).OrderBy(id => id, StringComparer.Ordinal))
        {
            var e = Expected.GetValueOrDefault(id);
            var f = Found.GetValueOrDefault(id);
            var c = FoundByCscStyleBuild.GetValueOrDefault(id);
            text.Append(CultureInfo.InvariantCulture, $"{id,-8} {e,8}  {f,5}  {c,9}{(e == f && f == c ? string.Empty : "  <- differs")}\n");
        }

        text.Append("analyzer execution time (one run, driver clock):\n");
        foreach (var (analyzer, time) in AnalyzerTimes.OrderByDescending(t => t.Time))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {time.TotalMilliseconds,9:F1} ms  {analyzer}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  {AnalyzerTimes.Sum(t => t.Time.TotalMilliseconds),9:F1} ms  total\n");
        return text.ToString();
    }
}
