using System;
using System.Runtime.InteropServices;
using Xunit;

namespace DmaSafe.Runtime.Tests.Cache;

/// <summary>The model's copy routine: every byte of any length arrives, across and at its 2 KiB piece boundaries.</summary>
public sealed unsafe class ModelCopyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(2047)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(6143)]
    [InlineData(262144)]
    public void CopiesEveryByteAndNothingBeyond(int length)
    {
        const int Guard = 64;
        var source = (byte*)NativeMemory.Alloc((nuint)length);
        var target = (byte*)NativeMemory.Alloc((nuint)(length + Guard));
        try
        {
            for (var i = 0; i < length; i++)
            {
                source[i] = (byte)(i * 31 + (i >> 11));
            }

            new Span<byte>(target, length + Guard).Fill(0xee);
            ModelCopy.Copy(source, target, (nuint)length);

            Assert.True(new ReadOnlySpan<byte>(source, length).SequenceEqual(new ReadOnlySpan<byte>(target, length)));
            Assert.True(new ReadOnlySpan<byte>(target + length, Guard).IndexOfAnyExcept((byte)0xee) < 0, "the copy wrote past its length");
        }
        finally
        {
            NativeMemory.Free(source);
            NativeMemory.Free(target);
        }
    }
}
