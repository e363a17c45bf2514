using System.Collections.Immutable;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Rules;

/// <summary>
/// DMA003: stack memory (a stackalloc, the address of a local or by-value parameter, a buffer inside a local struct)
/// reaches a DMA sink. Reported at the argument. [DmaBounceOk] does not silence it: bouncing does not make the stack safe.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StackMemoryToDeviceAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.StackMemoryToDevice);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeFilter.Flags);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null)
            {
                return;
            }

            SinkFlowRegistration.RegisterSinkUses(start, symbols, (context, uses) =>
            {
                foreach (var use in uses)
                {
                    if (use.Path.IsStack)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.StackMemoryToDevice,
                            use.Argument.GetLocation(),
                            DescribeStack(use.Path),
                            use.SinkDisplayName));
                    }
                }
            });
        });
    }

    private static string DescribeStack(AccessPath path)
    {
        if (path.RootKind == AccessRootKind.Stackalloc)
        {
            return "This stackalloc buffer";
        }

        var variable = path.RootSymbol is IParameterSymbol ? "by-value parameter" : "local";
        var name = path.RootSymbol?.Name ?? "?";
        return path.LastField is { } field
            ? $"'{field.Name}' inside {variable} '{name}'"
            : $"The address of {variable} '{name}'";
    }
}
