using System;
using System.Globalization;

namespace DmaSafe;

/// <summary>
/// A bus address as a device sees it (<c>dma_addr_t</c>). It is not a CPU pointer: the simulated RAM sits at a bus
/// base that differs from where the arena lives in the process, so mixing the two up is caught.
/// </summary>
public readonly struct DmaAddress : IEquatable<DmaAddress>
{
    /// <summary>The mapping-error value (<c>DMA_MAPPING_ERROR</c> = <c>~0</c>), distinct from every real bus address.</summary>
    public static readonly DmaAddress Error = new(ulong.MaxValue);

    /// <summary>Wraps a raw bus address.</summary>
    public DmaAddress(ulong value) => Value = value;

    /// <summary>The raw bus address.</summary>
    public ulong Value { get; }

    /// <summary>True for the mapping-error value. Drivers call <see cref="DmaDevice.MappingError"/>, which also tells dma-debug the result was checked.</summary>
    public bool IsError => Value == ulong.MaxValue;

    /// <summary>The bus address <paramref name="offset"/> bytes further on.</summary>
    public static DmaAddress operator +(DmaAddress address, ulong offset) => new(address.Value + offset);

    /// <inheritdoc />
    public static bool operator ==(DmaAddress left, DmaAddress right) => left.Value == right.Value;

    /// <inheritdoc />
    public static bool operator !=(DmaAddress left, DmaAddress right) => left.Value != right.Value;

    /// <inheritdoc />
    public bool Equals(DmaAddress other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DmaAddress other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The address as Linux prints a <c>%pad</c>: <c>0x</c> and 16 hex digits, or <c>DMA_MAPPING_ERROR</c>.</summary>
    public override string ToString() => IsError ? "DMA_MAPPING_ERROR" : "0x" + Value.ToString("x16", CultureInfo.InvariantCulture);
}
