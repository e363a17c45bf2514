using System;
using System.Collections.Generic;

namespace DmaSafe;

/// <summary>A struct's measured layout: its size and its fields in declaration order, with their real offsets.</summary>
public sealed class DmaStructLayout
{
    internal DmaStructLayout(string typeName, int size, bool isDmaAligned, IReadOnlyList<DmaFieldLayout> fields)
    {
        TypeName = typeName;
        Size = size;
        IsDmaAligned = isDmaAligned;
        Fields = fields;
    }

    /// <summary>The struct's name as C# writes it.</summary>
    public string TypeName { get; }

    /// <summary>The struct's size in bytes (<c>sizeof</c>, the array stride).</summary>
    public int Size { get; }

    /// <summary>True when the struct carries <see cref="DmaAlignedAttribute"/>, so kmalloc places it on line boundaries.</summary>
    public bool IsDmaAligned { get; }

    /// <summary>The instance fields in declaration order.</summary>
    public IReadOnlyList<DmaFieldLayout> Fields { get; }

    /// <summary>
    /// The layout drawn the way pahole draws a C struct, for lines of <paramref name="lineSize"/> bytes: one line per
    /// field with offset and size, holes, cacheline boundary markers, DMA buffers marked with the fields that share
    /// their lines, and a summary.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineSize"/> is not a power of two from 8 to 65536.</exception>
    public string Describe(int lineSize = 128)
    {
        if (!MachineOptions.IsPowerOfTwo(lineSize) || lineSize < 8 || lineSize > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(lineSize), lineSize, "The line size must be a power of two from 8 to 65536.");
        }

        return PaholeWriter.Write(this, lineSize);
    }

    /// <summary>The pahole-style view for 128-byte lines.</summary>
    public override string ToString() => Describe();
}
