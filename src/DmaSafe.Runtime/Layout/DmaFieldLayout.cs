namespace DmaSafe;

/// <summary>One field of a struct as the runtime laid it out.</summary>
/// <param name="Name">The field's name as declared (a record struct's property name, not its backing field's).</param>
/// <param name="TypeName">The field's type as C# writes it; a fixed buffer's element type (its <see cref="Name"/> carries <c>[N]</c>).</param>
/// <param name="Offset">Bytes from the start of the struct, measured on a real instance.</param>
/// <param name="Size">Bytes the field occupies.</param>
/// <param name="IsDmaBuffer">True when the field carries <see cref="DmaBufferAttribute"/>.</param>
public sealed record DmaFieldLayout(string Name, string TypeName, int Offset, int Size, bool IsDmaBuffer)
{
    /// <summary>The first byte after the field.</summary>
    public int End => Offset + Size;
}
