using System;

namespace DmaSafe;

/// <summary>
/// The hardware side of a transfer: the device reads and writes RAM at bus addresses, bypassing the CPU cache
/// unless it is coherent. Only active mappings may be touched, and only in their direction.
/// </summary>
public sealed unsafe partial class DmaDevice
{
    /// <inheritdoc cref="DeviceWrite(DmaAddress, ReadOnlySpan{byte})"/>
    public partial void DeviceWrite(DmaAddress at, ReadOnlySpan<byte> data)
    {
        Machine.ThrowIfDisposed();
        if (data.IsEmpty)
        {
            throw new ArgumentException($"DeviceWrite on {Name}: nothing to write at {at}.", nameof(data));
        }

        var machine = Machine;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            var entry = FindForDeviceAccess(at, (nuint)data.Length, write: true);
            var target = entry.Target + (nuint)(at.Value - entry.Bus);
            if (Coherent || entry.Kind == MappingKind.Coherent)
            {
                data.CopyTo(new Span<byte>((void*)target, data.Length)); // snooped, or uncached: straight into what the CPU sees
                return;
            }

            machine.Cache.DeviceWrite(target, data);

            // Adversarial eviction strikes right after the device wrote: the worst moment for a dirty line.
            machine.Cache.EvictAtDeviceAccess();
        }
    }

    /// <inheritdoc cref="DeviceRead(DmaAddress, Span{byte})"/>
    public partial void DeviceRead(DmaAddress at, Span<byte> destination)
    {
        Machine.ThrowIfDisposed();
        if (destination.IsEmpty)
        {
            throw new ArgumentException($"DeviceRead on {Name}: nothing to read at {at}.", nameof(destination));
        }

        var machine = Machine;
        using (machine.DmaLock.EnterScope())
        {
            machine.ThrowIfDisposed();
            var entry = FindForDeviceAccess(at, (nuint)destination.Length, write: false);
            var source = entry.Target + (nuint)(at.Value - entry.Bus);
            if (Coherent || entry.Kind == MappingKind.Coherent)
            {
                new ReadOnlySpan<byte>((void*)source, destination.Length).CopyTo(destination);
                return;
            }

            machine.Cache.EvictAtDeviceAccess();
            machine.Cache.DeviceRead(source, destination);
        }
    }

    /// <summary>The active entry holding [at, at + length) in the right direction, or a rejection naming what is wrong.</summary>
    private DmaMapping FindForDeviceAccess(DmaAddress at, nuint length, bool write)
    {
        var debug = Machine.DmaDebug;
        var verb = write ? "writes" : "reads";
        var entry = at.IsError ? null : Mappings.FindContaining(at.Value, length);
        if (entry is null)
        {
            var holding = at.IsError ? null : Mappings.FindHolding(at.Value);
            var detail = at.IsError
                ? "the address is DMA_MAPPING_ERROR: the map failed and the driver gave the device its error value"
                : holding is null
                    ? "no active mapping of this device holds that address"
                    : $"the mapping at {DebugText.Hex(holding.Bus)} holds only {(ulong)holding.Size} bytes, the access ends {(ulong)(at.Value - holding.Bus + (ulong)length - (ulong)holding.Size)} bytes past it";
            throw debug.Reject(new DmaDebugViolation(
                "device-access-outside-mapping",
                Name,
                $"device {verb} outside every active mapping [device address={DebugText.Hex(at.Value)}] [len={(ulong)length}]: {detail}",
                holding?.MapSite,
                holding is null ? null : Machine.Slab.Describe(holding.CpuAddress)));
        }

        var forbidden = write ? DmaDirection.ToDevice : DmaDirection.FromDevice;
        if (entry.Direction == forbidden)
        {
            throw debug.Reject(debug.Violation(
                "device-access-direction",
                this,
                $"device {verb} a mapping made with {DebugText.Direction(entry.Direction)} [device address={DebugText.Hex(at.Value)}] [len={(ulong)length}] in {DebugText.DeviceAddress(entry.Bus, entry.Size)}",
                entry,
                entry.CpuAddress));
        }

        if (debug.Enabled && entry.ErrorCheck == MapErrorCheck.NotChecked)
        {
            debug.Report(debug.UncheckedMapError(this, entry));
        }

        return entry;
    }
}
