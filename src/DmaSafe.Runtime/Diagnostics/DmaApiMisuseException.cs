using System;

namespace DmaSafe;

/// <summary>
/// A dma-debug violation: the driver used the DMA API in a way Linux's <c>CONFIG_DMA_API_DEBUG</c> warns about.
/// The message follows the kernel's text and adds the mapping's allocation and map sites.
/// </summary>
public sealed class DmaApiMisuseException : InvalidOperationException
{
    /// <summary>Creates the exception for a recorded violation.</summary>
    public DmaApiMisuseException(DmaDebugViolation violation)
        : base(violation.ToString()) => Violation = violation;

    /// <summary>The violation, with its check and details.</summary>
    public DmaDebugViolation Violation { get; }
}

/// <summary>One dma-debug violation.</summary>
/// <param name="Check">Which check fired (a short stable name such as <c>unmap-size</c>).</param>
/// <param name="Device">The device the call named.</param>
/// <param name="Message">The message, in the spirit of the kernel's dma-debug text, with addresses, sizes and directions.</param>
/// <param name="MapSite">Where the mapping involved was made, when there is one.</param>
/// <param name="Allocation">The allocation the mapping points into, when known.</param>
public sealed record DmaDebugViolation(string Check, string Device, string Message, SourceSite? MapSite, AllocationInfo? Allocation)
{
    /// <summary><c>DMA-API: &lt;device&gt;: &lt;message&gt;</c> plus the map site and allocation.</summary>
    public override string ToString()
    {
        var text = $"DMA-API: {Device}: {Message}";
        if (MapSite is not null)
        {
            text += $" Mapped at: {MapSite}.";
        }

        if (Allocation is not null)
        {
            text += $" Memory: {Allocation}.";
        }

        return text;
    }
}
