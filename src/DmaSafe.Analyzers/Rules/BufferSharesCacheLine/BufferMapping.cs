using DmaSafe.Analyzers.Flow;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>One sink call that maps a field's storage, as DMA001 needs it.</summary>
internal sealed class BufferMapping
{
    public BufferMapping(SinkUse use, bool bounceAccepted)
    {
        Use = use;
        BounceAccepted = bounceAccepted;
    }

    /// <summary>The sink argument and the path of the memory it hands over.</summary>
    public SinkUse Use { get; }

    /// <summary>The calling method (or a type around it) carries [DmaBounceOk].</summary>
    public bool BounceAccepted { get; }

    /// <summary>Mapped with a constant ToDevice direction: the device only reads, so sharing a line is harmless.</summary>
    public bool IsToDeviceOnly => Use.Direction == MappedDirection.ToDevice;

    /// <summary>Where the sink is called (an additional location of the diagnostic).</summary>
    public Location CallLocation => Use.Call.GetLocation();
}
