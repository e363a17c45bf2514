using System.Collections.Immutable;
using System.Linq;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Tests.CodeFixes.Contract;

/// <summary>
/// DMA002/DMA004 where issue 4 puts them: on a Kmalloc/Kzalloc call. Reported for every such call whose flags lack
/// Gfp.DmaAligned (the real DMA002 also needs a small constant size reaching a sink; DMA004 needs a profile), and not
/// inside [DmaBounceOk], so a fix that marks the allocation or accepts bouncing makes it go quiet.
/// </summary>
public abstract class AllocationContractAnalyzer : DiagnosticAnalyzer
{
    private readonly DiagnosticDescriptor _descriptor;

    protected AllocationContractAnalyzer(DiagnosticDescriptor descriptor)
    {
        _descriptor = descriptor;
        SupportedDiagnostics = ImmutableArray.Create(descriptor);
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (DmaSymbols.TryCreate(start.Compilation, start.Options) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationAction(
                operation =>
                {
                    var invocation = (IInvocationOperation)operation.Operation;
                    if (!symbols.IsKmalloc(invocation.TargetMethod) || symbols.IsBounceOk(operation.ContainingSymbol))
                    {
                        return;
                    }

                    var flags = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "flags");
                    var value = flags?.Value.ConstantValue;
                    var marked = value is { HasValue: true, Value: int bits } && (bits & DmaSymbols.GfpDmaAlignedValue) != 0;
                    if (!marked)
                    {
                        operation.ReportDiagnostic(Diagnostic.Create(_descriptor, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name));
                    }
                },
                OperationKind.Invocation);
        });
    }
}

/// <summary>DMA002 at allocation sites.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KmallocContractAnalyzer : AllocationContractAnalyzer
{
    public KmallocContractAnalyzer()
        : base(ContractDescriptors.Dma002)
    {
    }
}

/// <summary>DMA004 at allocation sites.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HotSpotContractAnalyzer : AllocationContractAnalyzer
{
    public HotSpotContractAnalyzer()
        : base(ContractDescriptors.Dma004)
    {
    }
}
