using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The harness baseline (as NetAnalyzers' performance tests use one): an enabled analyzer that registers nothing, so
/// the analyzer driver runs on the compilation's events but no analysis happens. DmaSafe's own cost is what it adds
/// on top of this.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyAnalyzer() : NoOpAnalyzer("EMPTY001")
{
    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        // Nothing: the driver still runs on the compilation's events.
    }
}
#pragma warning restore RS1041, RS1036, RS2008
