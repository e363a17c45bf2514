using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// One compilation's code blocks as the block rules (DMA001, DMA002, DMA003, DMA005, DMA006) see them, read once and
/// shared: each rule is its own analyzer with its own code-block action, so without this the syntax scan, the binding
/// and the sink-use trace would run once per rule. An entry is dropped when every registered rule has taken it; a rule
/// that never comes back (an analyzer switched off mid-run) only keeps entries alive as long as the compilation.
/// </summary>
internal sealed class SharedCodeBlocks
{
    private readonly DmaSymbols _symbols;
    private readonly ConcurrentDictionary<SyntaxNode, Entry> _entries = new();
    private readonly ConcurrentDictionary<SyntaxTree, bool> _treeMayCall = new();
    private int _consumers;

    public SharedCodeBlocks(DmaSymbols symbols) => _symbols = symbols;

    /// <summary>Called by each rule, at compilation start, that will ask for every code block.</summary>
    public void AddConsumer() => Interlocked.Increment(ref _consumers);

    public CodeBlockFindings Get(CodeBlockAnalysisContext context)
    {
        // Most files of a driver project call no sink at all: one text search per file rules all their blocks out
        // before any syntax walk.
        var tree = context.CodeBlock.SyntaxTree;
        if (!_treeMayCall.TryGetValue(tree, out var mayCall))
        {
            mayCall = _treeMayCall.GetOrAdd(
                tree,
                _symbols.CallNames(context.CancellationToken).MayBeCalledIn(tree.GetText(context.CancellationToken).ToString()));
        }

        if (!mayCall)
        {
            return CodeBlockFindings.Nothing;
        }

        var entry = _entries.GetOrAdd(context.CodeBlock, static _ => new Entry());
        var findings = entry.Findings(context, _symbols);
        if (Interlocked.Increment(ref entry.Taken) >= Volatile.Read(ref _consumers))
        {
            _entries.TryRemove(context.CodeBlock, out _);
        }

        return findings;
    }

    private sealed class Entry
    {
        public int Taken;
        private CodeBlockFindings? _findings;

        public CodeBlockFindings Findings(CodeBlockAnalysisContext context, DmaSymbols symbols)
        {
            if (Volatile.Read(ref _findings) is { } done)
            {
                return done;
            }

            lock (this)
            {
                return _findings ??= CodeBlockFindings.Read(context, symbols);
            }
        }
    }
}
