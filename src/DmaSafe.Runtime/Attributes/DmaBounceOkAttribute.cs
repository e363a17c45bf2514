using System;

namespace DmaSafe;

/// <summary>
/// Bouncing here is accepted on purpose ("just let it bounce"): the alignment rules DMA001, DMA002 and
/// DMA004 stay quiet for the field, struct, method (constructors included) or class it is placed on.
/// </summary>
/// <remarks>On a primary constructor, write <c>[method: DmaBounceOk]</c> on the type to cover its <c>base(...)</c> call.</remarks>
[AttributeUsage(
    AttributeTargets.Field | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Class,
    AllowMultiple = false,
    Inherited = false)]
public sealed class DmaBounceOkAttribute : Attribute
{
    /// <summary>Accepts bouncing for this scope.</summary>
    /// <param name="reason">Why bouncing is fine here (for reviewers); optional.</param>
    public DmaBounceOkAttribute(string? reason = null) => Reason = reason;

    /// <summary>Why bouncing is fine here, as written at the declaration.</summary>
    public string? Reason { get; }
}
