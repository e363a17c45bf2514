using System.Collections.Immutable;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>
/// One sink call that maps a field's storage where the device may write, as DMA001 keeps it until compilation end:
/// the path's fields and what its root says about placement, read when the mapping is noted. Never the sink use itself,
/// whose operations would keep the calling block's whole operation tree alive until then.
/// </summary>
internal sealed class BufferMapping
{
    private readonly bool _rootIsManagedStorage;
    private readonly ISymbol? _managedRoot;
    private readonly KmallocRequest? _kmalloc;

    public BufferMapping(SinkUse use, DmaSymbols symbols)
    {
        var path = use.Path;
        Fields = path.Fields;
        CallLocation = use.Call.GetLocation();
        _rootIsManagedStorage = !path.RootIsPointer && path.RootKind == AccessRootKind.Field;
        if (_rootIsManagedStorage)
        {
            _managedRoot = path.RootSymbol;
        }
        else if (path.RootKind == AccessRootKind.Kmalloc)
        {
            _kmalloc = KmallocRequest.Read(symbols, path.Kmalloc);
        }
    }

    /// <summary>The fields from the root outwards; the last one is the mapped buffer.</summary>
    public ImmutableArray<IFieldSymbol> Fields { get; }

    /// <summary>Where the sink is called (an additional location of the diagnostic).</summary>
    public Location CallLocation { get; }

    /// <summary>Where the root struct starts, as far as the access path tells.</summary>
    public RootPlacement Placement(StructLayoutEngine engine, int lineSize) =>
        _rootIsManagedStorage
            ? RootPlacement.InManagedStorage(_managedRoot)
            : RootPlacement.FromKmalloc(engine, _kmalloc, lineSize);
}
