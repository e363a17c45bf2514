using System.Collections.Generic;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The floor of DmaSafe's gated design: one semantic-model action per tree that does exactly the reading the block
/// rules share (text search, syntax scan, and <c>GetOperation</c> on the bodies the gate lets through) and nothing
/// with the result. DmaSafe over this run is its own work (flow tracing, layouts, reporting); this run over the
/// EmptyAnalyzer run is what binding the gated bodies a second time costs.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GateFloorAnalyzer() : GatedTreeAnalyzer("EMPTY004")
{
    private protected override void ReadCandidates(SemanticModel model, List<CodeBlockScan.Candidate> candidates, CancellationToken cancellation) =>
        _ = CodeBlockRoots.Of(model, candidates, cancellation);
}
#pragma warning restore RS1041, RS1036, RS2008
