using System;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Flow;

/// <summary>What a block rule gets with a block's sink uses: the block's owner and where to report.</summary>
internal readonly struct SinkBlock
{
    private readonly Action<Diagnostic> _report;
    private readonly GeneratedCodeFilter _generated;
    private readonly CancellationToken _cancellation;

    public SinkBlock(ISymbol? owningSymbol, Action<Diagnostic> report, GeneratedCodeFilter generated, CancellationToken cancellation)
    {
        OwningSymbol = owningSymbol;
        _report = report;
        _generated = generated;
        _cancellation = cancellation;
    }

    /// <summary>The method, accessor, constructor, field or property whose code holds the sink calls.</summary>
    public ISymbol? OwningSymbol { get; }

    /// <summary>Reports <paramref name="diagnostic"/> unless it is in generated code.</summary>
    public void ReportDiagnostic(Diagnostic diagnostic) => _generated.Report(_report, diagnostic, _cancellation);
}
