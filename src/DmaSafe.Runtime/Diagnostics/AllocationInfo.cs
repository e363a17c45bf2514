namespace DmaSafe;

/// <summary>A snapshot of one allocation: where it lives, how big it was asked to be, what backs it, and who made it.</summary>
/// <param name="Address">The CPU address kmalloc returned, as a number.</param>
/// <param name="RequestedSize">The size the caller asked for.</param>
/// <param name="ObjectSize">The size of the backing object (<c>ksize</c>): the size class, or the pages.</param>
/// <param name="Cache">The cache it came from (<c>kmalloc-64</c>, a <see cref="KmemCache"/> name, or <c>pages</c>).</param>
/// <param name="Site">Where it was allocated.</param>
/// <param name="StackTrace">The allocating stack, when <see cref="MachineOptions.CaptureStackTraces"/> is on.</param>
/// <param name="Live">False when the object has been freed (then the site and sizes are its last owner's).</param>
public sealed record AllocationInfo(nuint Address, nuint RequestedSize, nuint ObjectSize, string Cache, SourceSite Site, string? StackTrace, bool Live)
{
    /// <summary><c>kmalloc-64 object 0x… (40 bytes requested) allocated at Probe (Driver.cs:12)</c>.</summary>
    public override string ToString() =>
        Live
            ? $"{Cache} object 0x{(ulong)Address:x} ({(ulong)RequestedSize} bytes requested) allocated at {Site}"
            : $"free {Cache} object 0x{(ulong)Address:x} (last allocated at {Site})";
}
