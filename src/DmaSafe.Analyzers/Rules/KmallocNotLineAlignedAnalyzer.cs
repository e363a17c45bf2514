using System.Collections.Generic;
using System.Collections.Immutable;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Kmalloc;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Rules;

/// <summary>
/// DMA002: a <c>Kmalloc</c>/<c>Kzalloc</c> of a constant size whose object is not guaranteed to start on a DMA line
/// (a class below the line, or a 96/192-style class) is mapped for DMA without <c>Gfp.DmaAligned</c>, so every
/// inbound mapping bounces. Reported once per allocation, at the call, with the sink calls as additional locations.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class KmallocNotLineAlignedAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.KmallocNotLineAligned);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeFilter.Flags);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null || symbols.Machines.IsEmpty)
            {
                return;
            }

            SinkFlowRegistration.RegisterSinkUses(start, symbols, (context, uses) => AnalyzeBlock(context, symbols, uses));
        });
    }

    private static void AnalyzeBlock(SinkBlock context, DmaSymbols symbols, ImmutableArray<SinkUse> uses)
    {
        if (symbols.IsBounceOk(context.OwningSymbol))
        {
            return;
        }

        // One report per allocation, however many sinks it reaches; only inbound mappings bounce.
        // Made only for a block that maps a whole kmalloc'd buffer inbound: most blocks map fields.
        Dictionary<SyntaxNode, (KmallocCall Call, List<SinkUse> Uses)>? byAllocation = null;
        foreach (var use in uses)
        {
            if (use.Path is { RootKind: AccessRootKind.Kmalloc, Kmalloc: { } allocation, Fields.IsEmpty: true }
                && use.Direction != MappedDirection.ToDevice)
            {
                byAllocation ??= new Dictionary<SyntaxNode, (KmallocCall Call, List<SinkUse> Uses)>();
                if (!byAllocation.TryGetValue(allocation.Syntax, out var entry))
                {
                    byAllocation[allocation.Syntax] = entry = (allocation, new List<SinkUse>());
                }

                entry.Uses.Add(use);
            }
        }

        if (byAllocation is null)
        {
            return;
        }

        foreach (var pair in byAllocation)
        {
            var allocation = pair.Value.Call;
            if (!TryGetConstantRequest(allocation, symbols, out var size, out var flags) || (flags & DmaSymbols.GfpDmaAlignedValue) != 0)
            {
                continue;
            }

            var tree = allocation.Syntax.SyntaxTree;
            var line = symbols.Options.DmaMinAlign(tree);
            if (!KmallocSizeClass.TryGet(size, symbols.Options.KmallocMinAlign(tree), out var objectSize, out var alignment) || alignment >= line)
            {
                continue;
            }

            var first = pair.Value.Uses[0];
            var additional = new List<Location>();
            foreach (var use in pair.Value.Uses)
            {
                additional.Add(use.Call.GetLocation());
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.KmallocNotLineAligned,
                allocation.Syntax.GetLocation(),
                additional,
                Describe.Number(size),
                Describe.Number(objectSize),
                Describe.Number(alignment),
                Describe.Number(line),
                first.SinkDisplayName + " (line " + Describe.Number(first.Call.GetLocation().GetLineSpan().StartLinePosition.Line + 1) + ")"));
        }
    }

    /// <summary>The constant size and Gfp flags of a sized Kmalloc/Kzalloc call; false for the generic overloads or non-constant arguments.</summary>
    private static bool TryGetConstantRequest(KmallocCall allocation, DmaSymbols symbols, out long size, out int flags)
    {
        size = 0;
        flags = 0;
        if (allocation.Method.IsGenericMethod)
        {
            return false;
        }

        var sawSize = false;
        foreach (var argument in allocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || !argument.HasValue)
            {
                return false;
            }

            if (symbols.IsGfp(parameter.Type))
            {
                if (argument.Constant is not { HasValue: true, Value: int constantFlags })
                {
                    // Flags computed at run time may include DmaAligned: stay quiet.
                    return false;
                }

                flags = constantFlags;
            }
            else if (parameter.Ordinal == 0)
            {
                if (!TryGetInteger(argument.Constant, out size))
                {
                    return false;
                }

                sawSize = true;
            }
        }

        return sawSize;
    }

    private static bool TryGetInteger(Optional<object?> constant, out long value)
    {
        value = 0;
        if (!constant.HasValue)
        {
            return false;
        }

        switch (constant.Value)
        {
            case int i: value = i; return true;
            case uint u: value = u; return true;
            case long l: value = l; return true;
            case ulong ul when ul <= long.MaxValue: value = (long)ul; return true;
            case short s: value = s; return true;
            case ushort us: value = us; return true;
            case byte b: value = b; return true;
            case sbyte sb: value = sb; return true;
            default: return false;
        }
    }
}
