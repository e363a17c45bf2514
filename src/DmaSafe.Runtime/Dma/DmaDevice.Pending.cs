using System;

namespace DmaSafe;

// TEMPORARY (skeleton only): the DMA mechanism lands with the runtime DMA work; this file is deleted then.
public sealed unsafe partial class DmaDevice
{
    public partial DmaAddress MapSingle(void* cpuAddress, nuint size, DmaDirection direction, string member, string file, int line) => throw new NotImplementedException();
    public partial void UnmapSingle(DmaAddress address, nuint size, DmaDirection direction) => throw new NotImplementedException();
    public partial void SyncSingleForCpu(DmaAddress address, nuint size, DmaDirection direction) => throw new NotImplementedException();
    public partial void SyncSingleForDevice(DmaAddress address, nuint size, DmaDirection direction) => throw new NotImplementedException();
    public partial bool MappingError(DmaAddress address) => throw new NotImplementedException();
    public partial int MapSg(Span<ScatterEntry> entries, DmaDirection direction, string member, string file, int line) => throw new NotImplementedException();
    public partial void UnmapSg(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction) => throw new NotImplementedException();
    public partial void SyncSgForCpu(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction) => throw new NotImplementedException();
    public partial void SyncSgForDevice(ReadOnlySpan<ScatterEntry> entries, DmaDirection direction) => throw new NotImplementedException();
    public partial void* AllocCoherent(nuint size, out DmaAddress handle, string member, string file, int line) => throw new NotImplementedException();
    public partial void FreeCoherent(nuint size, void* cpuAddress, DmaAddress handle) => throw new NotImplementedException();
    public partial void DeviceWrite(DmaAddress at, ReadOnlySpan<byte> data) => throw new NotImplementedException();
    public partial void DeviceRead(DmaAddress at, Span<byte> destination) => throw new NotImplementedException();
}
