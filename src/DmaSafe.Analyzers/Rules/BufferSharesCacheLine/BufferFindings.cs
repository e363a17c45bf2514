using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>What DMA001 found wrong with one buffer field.</summary>
internal enum BufferFindingKind
{
    /// <summary>Another field's bytes lie in the buffer's lines.</summary>
    SharedLine,

    /// <summary>Nothing places the root struct on a line boundary (not [DmaAligned], no line-aligned kmalloc class).</summary>
    RootNotPlaced,

    /// <summary>The root lives in a managed object or static, or the field belongs to a class.</summary>
    ManagedStorage,

    /// <summary>The buffer's last line runs past the bytes its allocation owns.</summary>
    TailPastAllocation,

    /// <summary>A [DmaAligned] struct on the path sits at an offset that is not a multiple of the line.</summary>
    MisplacedAlignedStruct,

    /// <summary>The layout could not be determined.</summary>
    UnknownLayout,
}

/// <summary>
/// The findings for one field, deduplicated across its mappings, in the order found. The kinds travel to the code fix
/// in the diagnostic's properties (<see cref="KindsKey"/>, with the line size under <see cref="LineSizeKey"/>).
/// </summary>
internal sealed class BufferFindings
{
    /// <summary>Property key: the line size (dmasafe.dma_minalign) the diagnostic was computed with.</summary>
    public const string LineSizeKey = "LineSize";

    /// <summary>Property key: the finding kinds, comma separated (<see cref="BufferFindingKind"/> names).</summary>
    public const string KindsKey = "Findings";

    private readonly List<string> _messages = new();
    private readonly List<BufferFindingKind> _kinds = new();

    public bool IsEmpty => _messages.Count == 0;

    public void Add(BufferFindingKind kind, string message)
    {
        if (!_messages.Contains(message))
        {
            _messages.Add(message);
        }

        if (!_kinds.Contains(kind))
        {
            _kinds.Add(kind);
        }
    }

    /// <summary>The sentence after "is not safe for non-coherent DMA: ".</summary>
    public string Describe() => _messages.Count == 1 ? _messages[0] : string.Join("; ", _messages);

    /// <summary>Adds the diagnostic properties for the code fix to <paramref name="properties"/>.</summary>
    public void AddProperties(ImmutableDictionary<string, string?>.Builder properties, string lineSize)
    {
        properties[LineSizeKey] = lineSize;
        properties[KindsKey] = _kinds.Count == 1 ? KindName(_kinds[0]) : string.Join(",", _kinds.Select(KindName));
    }

    // Enum.ToString reflects on every call; the names are fixed.
    private static string KindName(BufferFindingKind kind) => kind switch
    {
        BufferFindingKind.SharedLine => nameof(BufferFindingKind.SharedLine),
        BufferFindingKind.RootNotPlaced => nameof(BufferFindingKind.RootNotPlaced),
        BufferFindingKind.ManagedStorage => nameof(BufferFindingKind.ManagedStorage),
        BufferFindingKind.TailPastAllocation => nameof(BufferFindingKind.TailPastAllocation),
        BufferFindingKind.MisplacedAlignedStruct => nameof(BufferFindingKind.MisplacedAlignedStruct),
        BufferFindingKind.UnknownLayout => nameof(BufferFindingKind.UnknownLayout),
        _ => kind.ToString(),
    };
}
