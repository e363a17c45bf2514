using System.Threading;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>
/// Every mapping of one field seen so far, added from many threads: whether any is live (not accepted by
/// [DmaBounceOk]) and the risky ones (live, not a constant ToDevice) in the order they were added. Those are all
/// DMA001's check reads; a mapping that is not risky is not kept. A linked list pushed with a compare-exchange, because
/// most fields get one or two mappings and a concurrent queue starts at a 32-slot segment.
/// </summary>
internal sealed class FieldMappings
{
    private Node? _risky;
    private int _anyLive;

    /// <summary>Some mapping was neither in [DmaBounceOk] code nor of a [DmaBounceOk] struct.</summary>
    public bool AnyLive => Volatile.Read(ref _anyLive) != 0;

    public void Add(bool live, BufferMapping? risky)
    {
        if (live)
        {
            Volatile.Write(ref _anyLive, 1);
        }

        if (risky is null)
        {
            return;
        }

        var node = new Node(risky);
        do
        {
            node.Next = Volatile.Read(ref _risky);
        }
        while (Interlocked.CompareExchange(ref _risky, node, node.Next) != node.Next);
    }

    /// <summary>The risky mappings, first added first; read once every mapping has been added.</summary>
    public BufferMapping[] Risky()
    {
        var head = Volatile.Read(ref _risky);
        var count = 0;
        for (var node = head; node is not null; node = node.Next)
        {
            count++;
        }

        var result = new BufferMapping[count];
        for (var node = head; node is not null; node = node.Next)
        {
            result[--count] = node.Mapping;
        }

        return result;
    }

    private sealed class Node
    {
        public Node(BufferMapping mapping) => Mapping = mapping;

        public BufferMapping Mapping { get; }

        public Node? Next;
    }
}
