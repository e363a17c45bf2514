using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers;

/// <summary>
/// Every rule's descriptor, made by one factory so category, help link and tags cannot drift between rules.
/// </summary>
internal static class Descriptors
{
    /// <summary>The one category all DmaSafe rules belong to.</summary>
    public const string Category = "DmaSafe";

    /// <summary>Where each rule's page lives; the meta-tests check the file exists in docs/rules.</summary>
    public const string HelpLinkFormat = "https://github.com/dmasafe/dmasafe/blob/main/docs/rules/{0}.md";

    /// <summary>The help link of a rule ID.</summary>
    public static string HelpLink(string id) => string.Format(System.Globalization.CultureInfo.InvariantCulture, HelpLinkFormat, id);

    /// <summary>DMA001 (owned by the layout engine's analyzer; declared here so IDs, links and release notes stay in one place).</summary>
    public static readonly DiagnosticDescriptor BufferSharesCacheLine = Create(
        DiagnosticIds.BufferSharesCacheLine,
        "DMA buffer shares a cache line with other data",
        "DMA buffer field '{0}' is not safe for non-coherent DMA: {1}",
        DiagnosticSeverity.Warning,
        "A buffer a non-coherent device writes must own every cache line it touches (dmasafe.dma_minalign bytes, 128 by default). "
        + "Otherwise cache maintenance at map/unmap, or an eviction during the transfer, writes stale CPU data over what the device wrote.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>DMA002.</summary>
    public static readonly DiagnosticDescriptor KmallocNotLineAligned = Create(
        DiagnosticIds.KmallocNotLineAligned,
        "Small or unaligned kmalloc buffer is mapped for DMA, so its mappings bounce",
        "Kmalloc({0}) comes from the kmalloc-{1} class, aligned to {2} bytes, below the {3}-byte DMA line; mapping it at {4} bounces every time: add Gfp.DmaAligned",
        DiagnosticSeverity.Info,
        "A kmalloc object whose size class is smaller than the DMA line, or a 96/192-style class whose natural alignment is below it, can share "
        + "cache lines with neighbouring objects, so the DMA layer copies every such mapping through the bounce pool. Gfp.DmaAligned gives the object lines of its own.");

    /// <summary>DMA003.</summary>
    public static readonly DiagnosticDescriptor StackMemoryToDevice = Create(
        DiagnosticIds.StackMemoryToDevice,
        "DMA from stack memory",
        "{0} is stack memory and reaches the DMA sink '{1}': allocate it with Kmalloc instead",
        DiagnosticSeverity.Warning,
        "Stack memory is never DMA-safe: it shares cache lines with the return address and other locals, and the frame is gone when the method returns "
        + "while the device may still own the buffer.");

    /// <summary>DMA004 at an allocation site.</summary>
    public static readonly DiagnosticDescriptor BounceHotSpotAllocation = Create(
        DiagnosticIds.BounceHotSpot,
        "Bounce hot spot recorded in a bounce profile",
        "Memory allocated here bounced {0} times ({1} bytes) in '{2}', mapped at {3}: consider Gfp.DmaAligned or [DmaAligned]",
        DiagnosticSeverity.Info,
        "A bounce profile written by the runtime recorded that mappings of memory allocated here were copied through the bounce pool.");

    /// <summary>DMA004 at a map site.</summary>
    public static readonly DiagnosticDescriptor BounceHotSpotMap = Create(
        DiagnosticIds.BounceHotSpot,
        "Bounce hot spot recorded in a bounce profile",
        "This mapping bounced {0} times ({1} bytes) in '{2}'; the memory was allocated at {3}",
        DiagnosticSeverity.Info,
        "A bounce profile written by the runtime recorded that this mapping was copied through the bounce pool.");

    /// <summary>DMA005.</summary>
    public static readonly DiagnosticDescriptor UncheckedMapping = Create(
        DiagnosticIds.UncheckedMapping,
        "Mapping result used without checking MappingError",
        "The result of '{0}' is {1} on a path where {2} was not checked",
        DiagnosticSeverity.Warning,
        "A mapping can fail (for example when the bounce pool is full); the error value is not a bus address. Check it with MappingError "
        + "(or the scatter-gather count against 0) before the device, a field or an unmap sees it.");

    /// <summary>DMA006.</summary>
    public static readonly DiagnosticDescriptor UnmarkedSinkParameter = Create(
        DiagnosticIds.UnmarkedSinkParameter,
        "Parameter flows into a DMA sink but is not marked [DmaBuffer]",
        "Parameter '{0}' reaches the DMA sink '{1}': mark it [DmaBuffer] so callers' buffers are checked",
        DiagnosticSeverity.Info,
        "The analyzers follow buffers within a method only; a [DmaBuffer] parameter makes the method a sink itself, so what callers pass is checked where it is allocated.");

    /// <summary>DMA900 for an option value the analyzers cannot use.</summary>
    public static readonly DiagnosticDescriptor InvalidOption = Create(
        DiagnosticIds.InvalidConfiguration,
        "DmaSafe option is invalid",
        "{0}",
        DiagnosticSeverity.Warning,
        "A dmasafe.* option in .editorconfig/.globalconfig could not be used; the analyzers fall back to the default named in the message.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>DMA900 for a bounce profile that cannot be read.</summary>
    public static readonly DiagnosticDescriptor InvalidProfile = Create(
        DiagnosticIds.InvalidConfiguration,
        "DmaSafe bounce profile cannot be read",
        "Bounce profile '{0}' is ignored: {1}",
        DiagnosticSeverity.Warning,
        "A *.dmabounces.json AdditionalFile is not a dmasafe.bounces/1 profile; DMA004 ignores it.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags) =>
        new(id, title, messageFormat, Category, severity, isEnabledByDefault: true, description, HelpLink(id), customTags);
}
