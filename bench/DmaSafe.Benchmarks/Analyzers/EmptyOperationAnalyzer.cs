using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The IOperation floor: an analyzer that asks for every invocation and does nothing with it. The driver must then
/// bind every method body a second time through semantic models to build operation trees, which any IOperation-based
/// analyzer pays once per build and all of them share (the SDK's default-on CA rules among them).
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyOperationAnalyzer() : NoOpAnalyzer("EMPTY002")
{
    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
    }
}
#pragma warning restore RS1041, RS1036, RS2008
