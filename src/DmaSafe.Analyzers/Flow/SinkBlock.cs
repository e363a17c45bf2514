using System;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Flow;

/// <summary>What a block rule gets with a block's sink uses: the block's owner and where to report.</summary>
internal readonly struct SinkBlock
{
    private readonly Action<Diagnostic> _report;

    public SinkBlock(ISymbol? owningSymbol, Action<Diagnostic> report)
    {
        OwningSymbol = owningSymbol;
        _report = report;
    }

    /// <summary>The method, accessor, constructor, field or property whose code holds the sink calls.</summary>
    public ISymbol? OwningSymbol { get; }

    public void ReportDiagnostic(Diagnostic diagnostic) => _report(diagnostic);
}
