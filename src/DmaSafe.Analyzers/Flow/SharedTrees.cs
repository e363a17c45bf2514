using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// One compilation's trees as the block rules (DMA001, DMA002, DMA003, DMA005, DMA006, and DMA004 for [DmaBounceOk] memory) see them, read once and shared:
/// each rule is its own analyzer with its own per-tree action, so without this the text search, syntax scan, binding and
/// sink-use trace would run once per rule. Per tree rather than per code block: a code-block (or operation-block)
/// action makes the driver work out every member's declaration and call each analyzer for every block, which on a large
/// project costs more than everything DmaSafe does itself. An entry is dropped when every registered rule has taken
/// it; a rule that never comes back only keeps entries alive as long as the compilation.
/// </summary>
internal sealed class SharedTrees
{
    private readonly DmaSymbols _symbols;
    private readonly ConcurrentDictionary<SyntaxTree, Entry> _entries = new();
    private int _consumers;

    public SharedTrees(DmaSymbols symbols) => _symbols = symbols;

    /// <summary>Called by each rule, at compilation start, that will ask for every tree.</summary>
    public void AddConsumer() => Interlocked.Increment(ref _consumers);

    /// <summary>
    /// The blocks of the model's tree that may call a sink or map for DMA, bound; none for generated code, which the
    /// rules skip (the tree still counts as taken).
    /// </summary>
    public ImmutableArray<CodeBlockFindings> Get(SemanticModelAnalysisContext context)
    {
        var tree = context.SemanticModel.SyntaxTree;
        if (context.IsGeneratedCode)
        {
            Release(tree);
            return ImmutableArray<CodeBlockFindings>.Empty;
        }

        var entry = _entries.GetOrAdd(tree, static _ => new Entry());
        var blocks = entry.Blocks(context, _symbols);
        Taken(tree, entry);
        return blocks;
    }

    /// <summary>Called by a consumer that does not need this tree: it counts as taken, and is not read for this consumer.</summary>
    public void Release(SyntaxTree tree) => Taken(tree, _entries.GetOrAdd(tree, static _ => new Entry()));

    private void Taken(SyntaxTree tree, Entry entry)
    {
        if (Interlocked.Increment(ref entry.Taken) >= Volatile.Read(ref _consumers))
        {
            _entries.TryRemove(tree, out _);
        }
    }

    private sealed class Entry
    {
        public int Taken;
        private ImmutableArray<CodeBlockFindings>? _blocks;

        public ImmutableArray<CodeBlockFindings> Blocks(SemanticModelAnalysisContext context, DmaSymbols symbols)
        {
            lock (this)
            {
                return _blocks ??= CodeBlockFindings.Read(context.SemanticModel, symbols, context.CancellationToken);
            }
        }
    }
}
