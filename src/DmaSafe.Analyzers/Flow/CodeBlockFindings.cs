using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Flow;

/// <summary>What one code block holds for the block rules: the bound roots of the bodies with candidate calls, and the sink uses in them.</summary>
internal sealed class CodeBlockFindings
{
    public static readonly CodeBlockFindings Nothing = new(CodeBlockScan.Nothing, ImmutableArray<IOperation>.Empty, null);

    private readonly CodeBlockScan _scan;
    private readonly DmaSymbols? _symbols;
    private ImmutableArray<SinkUse>? _sinkUses;

    private CodeBlockFindings(CodeBlockScan scan, ImmutableArray<IOperation> roots, DmaSymbols? symbols)
    {
        _scan = scan;
        Roots = roots;
        _symbols = symbols;
    }

    /// <summary>The operation roots holding a candidate call; empty when the syntax rules every call out.</summary>
    public ImmutableArray<IOperation> Roots { get; }

    /// <summary>A call named MapSingle or MapSg is in <see cref="Roots"/>.</summary>
    public bool HasMapCall => _scan.HasMapCall && !Roots.IsEmpty;

    /// <summary>The sink arguments of the block's sink calls, traced (computed once, by the first rule that asks).</summary>
    public ImmutableArray<SinkUse> SinkUses
    {
        get
        {
            if (!_scan.HasSinkCall || Roots.IsEmpty || _symbols is null)
            {
                return ImmutableArray<SinkUse>.Empty;
            }

            lock (this)
            {
                return _sinkUses ??= SinkFlowRegistration.CollectUses(Roots, _symbols);
            }
        }
    }

    /// <summary>Reads a block: its syntax first, and only when some call may be a sink or map call, the operations.</summary>
    public static CodeBlockFindings Read(CodeBlockAnalysisContext context, DmaSymbols symbols)
    {
        var scan = CodeBlockScan.Of(context.CodeBlock, symbols.CallNames(context.CancellationToken));
        if (scan.Candidates is not { } candidates)
        {
            return Nothing;
        }

        var roots = CodeBlockRoots.Of(context.SemanticModel, candidates, context.CancellationToken);
        return roots.IsEmpty ? Nothing : new CodeBlockFindings(scan, roots, symbols);
    }
}
