using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Profiles;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DmaSafe.Analyzers.Rules;

/// <summary>
/// DMA900: a dmasafe.* option value the analyzers cannot use (reported once per compilation, at its end; the analyzers
/// use the default meanwhile), and a <c>*.dmabounces.json</c> AdditionalFile that is not a readable
/// <c>dmasafe.bounces/1</c> profile (reported once, on that file).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigurationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.InvalidOption, Descriptors.InvalidProfile);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null)
            {
                return;
            }

            if (!symbols.Problems.IsEmpty)
            {
                start.RegisterCompilationEndAction(end =>
                {
                    foreach (var problem in symbols.Problems)
                    {
                        end.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidOption, Location.None, problem.Message));
                    }
                });
            }

            start.RegisterAdditionalFileAction(file =>
            {
                var path = file.AdditionalFile.Path;
                if (!BounceProfileFile.IsProfilePath(path))
                {
                    return;
                }

                var text = file.AdditionalFile.GetText(file.CancellationToken);
                var error = text is null ? "the file cannot be read" : BounceProfileFile.Get(path, text).Error;
                if (error is not null)
                {
                    var location = Location.Create(path, new TextSpan(0, 0), new LinePositionSpan(LinePosition.Zero, LinePosition.Zero));
                    file.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidProfile, location, System.IO.Path.GetFileName(path), error));
                }
            });
        });
    }
}
