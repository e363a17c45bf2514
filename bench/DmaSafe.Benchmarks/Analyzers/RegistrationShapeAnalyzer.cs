using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// DmaSafe's registrations without DmaSafe's work: seven analyzers that register what the seven DmaSafe analyzers
/// register (a compilation-start action each; a semantic-model action and a compilation-end action for DMA001; a
/// semantic-model action for DMA002-DMA006; an additional-file and a compilation-end action for DMA900), every action
/// empty. Against EmptyAnalyzer it is the driver's price of dispatching to that many analyzers and actions; against it,
/// DmaSafe's cost is its own work. <see cref="CreateMerged"/> is the same registrations made once, by one analyzer: what
/// the driver would cost if one analyzer reported every DmaSafe rule.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RegistrationShapeAnalyzer(string id, bool semanticModels, bool compilationEnd, bool additionalFiles) : NoOpAnalyzer(id)
{
    /// <summary>The seven analyzers, in the shape of DmaSafe's.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateSet() =>
    [
        new RegistrationShapeAnalyzer("SHAPE001", semanticModels: true, compilationEnd: true, additionalFiles: false),
        new RegistrationShapeAnalyzer("SHAPE002", semanticModels: true, compilationEnd: false, additionalFiles: false),
        new RegistrationShapeAnalyzer("SHAPE003", semanticModels: true, compilationEnd: false, additionalFiles: false),
        new RegistrationShapeAnalyzer("SHAPE004", semanticModels: true, compilationEnd: false, additionalFiles: false),
        new RegistrationShapeAnalyzer("SHAPE005", semanticModels: true, compilationEnd: false, additionalFiles: false),
        new RegistrationShapeAnalyzer("SHAPE006", semanticModels: true, compilationEnd: false, additionalFiles: false),
        new RegistrationShapeAnalyzer("SHAPE900", semanticModels: false, compilationEnd: true, additionalFiles: true),
    ];

    /// <summary>One analyzer making DmaSafe's registrations once: a semantic-model, a compilation-end and an additional-file action.</summary>
    public static DiagnosticAnalyzer CreateMerged() =>
        new RegistrationShapeAnalyzer("SHAPE000", semanticModels: true, compilationEnd: true, additionalFiles: true);

    /// <inheritdoc />
    protected override void Register(AnalysisContext context)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (semanticModels)
            {
                start.RegisterSemanticModelAction(static _ => { });
            }

            if (additionalFiles)
            {
                start.RegisterAdditionalFileAction(static _ => { });
            }

            if (compilationEnd)
            {
                start.RegisterCompilationEndAction(static _ => { });
            }
        });
    }
}
#pragma warning restore RS1041, RS1036, RS2008
