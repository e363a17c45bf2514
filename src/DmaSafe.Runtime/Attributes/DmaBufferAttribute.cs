using System;

namespace DmaSafe;

/// <summary>
/// On a field: this memory is handed to a device for DMA.
/// On a parameter: the method maps or hands the pointed-to memory to a device (a DMA sink),
/// so the analyzers check what callers pass in.
/// </summary>
/// <remarks>
/// The analyzers match this attribute by its full metadata name, from any assembly, so a project
/// that does not reference the runtime can declare its own copy in namespace <c>DmaSafe</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class DmaBufferAttribute : Attribute
{
}
