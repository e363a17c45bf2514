using System;

namespace DmaSafe;

/// <summary>
/// A cache line whose RAM the device has written since the line's last maintenance. RAM alone no longer says what
/// the cache held at that maintenance, so the line keeps a copy of it (to tell whether the CPU dirtied the line)
/// and a mask of the bytes the device wrote (to tell which bytes a write-back would destroy).
/// </summary>
internal sealed class DeviceWrittenLine
{
    public DeviceWrittenLine(int lineSize)
    {
        Snapshot = new byte[lineSize];
        Mask = new bool[lineSize];
    }

    /// <summary>What the cache held at the line's last maintenance (RAM as it was before the device wrote).</summary>
    public byte[] Snapshot { get; }

    /// <summary>True for each byte of the line the device wrote.</summary>
    public bool[] Mask { get; }

    public void Reset() => Array.Clear(Mask);
}
