using System.Collections.Generic;
using System.Globalization;

namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>
/// Writes one driver as two files, in the shape of a Linux SPI/IIO driver: <c>{Name}State.cs</c> (the kzalloc'd state
/// struct with its [DmaBuffer] fixed buffers) and <c>{Name}Driver.cs</c> (probe, four MapSingle sites with their
/// MappingError checks and unmaps, a [DmaBuffer] helper, a kmalloc'd or stack status buffer), and tallies the DmaSafe
/// diagnostics the choices should produce.
/// </summary>
internal static class DriverUnitWriter
{
    public const string Folder = "Drivers";

    public static (GeneratedFile State, GeneratedFile Driver, ProfiledSite? Site) Write(
        DriverUnitChoices unit, SplitMix64 random, IDictionary<string, int> expected)
    {
        var state = WriteState(unit, expected);
        var (driver, site) = WriteDriver(unit, random, expected);
        return (state, driver, site);
    }

    private static GeneratedFile WriteState(DriverUnitChoices unit, IDictionary<string, int> expected)
    {
        var w = new SourceWriter();
        w.Line("using System.Runtime.InteropServices;");
        w.Line("using DmaSafe;");
        w.Line();
        w.Line($"namespace Synthetic.Drivers.{unit.Name};");
        w.Line();
        switch (unit.Shape)
        {
            case StateShape.SharedLines:
            case StateShape.SharedButBounceOk:
                WriteSharedState(w, unit);
                if (unit.Shape == StateShape.SharedLines)
                {
                    Count(expected, "DMA001");
                }

                break;
            case StateShape.AlignedExplicit:
                WriteExplicitState(w, unit);
                break;
            case StateShape.AlignedPadded:
                WritePaddedState(w, unit);
                break;
            case StateShape.NestedMisplaced:
                WriteNestedState(w, unit);
                Count(expected, "DMA001");
                break;
        }

        return new GeneratedFile($"{Folder}/{unit.Name}/{unit.Name}State.cs", w.ToString());
    }

    private static void WriteSharedState(SourceWriter w, DriverUnitChoices unit)
    {
        w.Line($"/// <summary>{unit.Name}'s state as first written: the DMA buffers sit between CPU-owned fields.</summary>");
        if (unit.Shape == StateShape.SharedButBounceOk)
        {
            w.Line("[DmaBounceOk(\"low-rate device: bouncing every transfer is accepted\")]");
        }

        w.Open($"public unsafe struct {unit.Name}State");
        w.Line("public int Lock;");
        w.Line("public int Channel;");
        w.Line("public uint Transfers;");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Rx[{unit.RxBytes}];");
        w.Line("public uint Errors;");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Tx[{unit.TxBytes}];");
        w.Line("public long LastTimestamp;");
        w.Close();
    }

    private static void WriteExplicitState(SourceWriter w, DriverUnitChoices unit)
    {
        var size = 128 + unit.RxBytes + 128;
        w.Line($"/// <summary>{unit.Name}'s state with each DMA buffer on its own cache lines (explicit offsets).</summary>");
        w.Line("[DmaAligned]");
        w.Line($"[StructLayout(LayoutKind.Explicit, Size = {size})]");
        w.Open($"public unsafe struct {unit.Name}State");
        w.Line("[FieldOffset(0)] public int Lock;");
        w.Line("[FieldOffset(4)] public int Channel;");
        w.Line("[FieldOffset(8)] public uint Transfers;");
        w.Line("[FieldOffset(12)] public uint Errors;");
        w.Line("[FieldOffset(16)] public long LastTimestamp;");
        w.Line("[FieldOffset(128)]");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Rx[{unit.RxBytes}];");
        w.Line($"[FieldOffset({128 + unit.RxBytes})]");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Tx[{unit.TxBytes}];");
        w.Close();
    }

    private static void WritePaddedState(SourceWriter w, DriverUnitChoices unit)
    {
        w.Line($"/// <summary>{unit.Name}'s state with each DMA buffer on its own cache lines (hand padding).</summary>");
        w.Line("[DmaAligned]");
        w.Open($"public unsafe struct {unit.Name}State");
        w.Line("public int Lock;");
        w.Line("public int Channel;");
        w.Line("public uint Transfers;");
        w.Line("public uint Errors;");
        w.Line("public long LastTimestamp;");
        w.Line("#pragma warning disable CS0169 // padding keeps the buffers on their own cache lines; nothing reads it");
        w.Line("private fixed byte _pad0[104];");
        w.Line("#pragma warning restore CS0169");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Rx[{unit.RxBytes}];");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Tx[{unit.TxBytes}];");
        if (unit.TxBytes < 128)
        {
            w.Line("#pragma warning disable CS0169 // see _pad0");
            w.Line($"private fixed byte _pad1[{128 - unit.TxBytes}];");
            w.Line("#pragma warning restore CS0169");
        }

        w.Close();
    }

    private static void WriteNestedState(SourceWriter w, DriverUnitChoices unit)
    {
        w.Line($"/// <summary>{unit.Name}'s DMA buffers, meant to start on a cache line.</summary>");
        w.Line("[DmaAligned]");
        w.Open($"public unsafe struct {unit.Name}Buffers");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Rx[{unit.RxBytes}];");
        w.Line("[DmaBuffer]");
        w.Line($"public fixed byte Tx[{unit.TxBytes}];");
        w.Close();
        w.Line();
        w.Line($"/// <summary>{unit.Name}'s state: the buffer block follows two ints, so it starts 8 bytes into a line.</summary>");
        w.Open($"public unsafe struct {unit.Name}State");
        w.Line("public int Lock;");
        w.Line("public int Channel;");
        w.Line($"public {unit.Name}Buffers Buffers;");
        w.Line("public uint Transfers;");
        w.Line("public uint Errors;");
        w.Line("public long LastTimestamp;");
        w.Close();
    }

    private static (GeneratedFile Driver, ProfiledSite? Site) WriteDriver(
        DriverUnitChoices unit, SplitMix64 random, IDictionary<string, int> expected)
    {
        var path = $"{Folder}/{unit.Name}/{unit.Name}Driver.cs";
        var buffers = unit.Shape == StateShape.NestedMisplaced ? "_state->Buffers." : "_state->";
        var w = new SourceWriter();
        w.Line("using System;");
        w.Line("using DmaSafe;");
        w.Line();
        w.Line($"namespace Synthetic.Drivers.{unit.Name};");
        w.Line();
        w.Line($"/// <summary>The {unit.Name} driver: one kzalloc'd state, DMA through a non-coherent controller.</summary>");
        w.Open($"public sealed unsafe class {unit.Name}Driver : IDisposable");
        w.Line("private readonly Machine _machine;");
        w.Line("private readonly DmaDevice _device;");
        w.Line($"private {unit.Name}State* _state;");
        w.Line();
        w.Line("/// <summary>Probe: allocates the state.</summary>");
        w.Open($"public {unit.Name}Driver(Machine machine, DmaDevice device)");
        w.Line("_machine = machine;");
        w.Line("_device = device;");
        w.Line($"_state = machine.Kzalloc<{unit.Name}State>();");
        w.Open("if (_state == null)");
        w.Line($"throw new InvalidOperationException(\"{unit.Name}: probe failed, no memory for the state.\");");
        w.Close();
        w.Close();
        w.Line();

        w.Line("/// <summary>Reads a block of samples from <paramref name=\"channel\"/>; -1 when the mapping failed.</summary>");
        w.Open("public int ReadSamples(int channel)");
        w.Line("_state->Lock = 1;");
        w.Line("_state->Channel = channel;");
        w.Line($"var address = _device.MapSingle({buffers}Rx, {unit.RxBytes}, DmaDirection.FromDevice);");
        w.Open("if (_device.MappingError(address))");
        w.Line("_state->Errors++;");
        w.Line("_state->Lock = 0;");
        w.Line("return -1;");
        w.Close();
        w.Line();
        w.Line("_state->Transfers++;");
        w.Line($"_device.UnmapSingle(address, {unit.RxBytes}, DmaDirection.FromDevice);");
        w.Line("var sum = 0;");
        w.Open($"for (var i = 0; i < {unit.RxBytes}; i++)");
        w.Line($"sum += {buffers}Rx[i];");
        w.Close();
        w.Line();
        w.Line("_state->Lock = 0;");
        w.Line("return sum;");
        w.Close();
        w.Line();

        w.Line("/// <summary>Sends a two-byte command.</summary>");
        w.Open("public bool WriteCommand(byte opcode, byte argument)");
        w.Line($"{buffers}Tx[0] = opcode;");
        w.Line($"{buffers}Tx[1] = argument;");
        w.Line($"var address = _device.MapSingle({buffers}Tx, {unit.TxBytes}, DmaDirection.ToDevice);");
        w.Open("if (_device.MappingError(address))");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line($"_device.UnmapSingle(address, {unit.TxBytes}, DmaDirection.ToDevice);");
        w.Line("return true;");
        w.Close();
        w.Line();

        w.Line("/// <summary>Refills the receive buffer through the shared transfer helper.</summary>");
        w.Line($"public bool Refill() => Transfer({buffers}Rx, {unit.RxBytes}, DmaDirection.FromDevice);");
        w.Line();
        w.Line("/// <summary>Maps <paramref name=\"buffer\"/> for one transfer and unmaps it.</summary>");
        if (!unit.MarksHelperParameter)
        {
            Count(expected, "DMA006");
        }

        var marker = unit.MarksHelperParameter ? "[DmaBuffer] " : string.Empty;
        w.Open($"private bool Transfer({marker}byte* buffer, nuint length, DmaDirection direction)");
        w.Line("var address = _device.MapSingle(buffer, length, direction);");
        w.Open("if (_device.MappingError(address))");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line("_device.UnmapSingle(address, length, direction);");
        w.Line("return true;");
        w.Close();
        w.Line();

        var site = WriteReadStatus(w, unit, path, random, expected);
        w.Line();

        w.Line("/// <summary>Remove: frees the state.</summary>");
        w.Open("public void Dispose()");
        w.Open("if (_state != null)");
        w.Line("_machine.Kfree(_state);");
        w.Line("_state = null;");
        w.Close();
        w.Close();
        w.Close();
        return (new GeneratedFile(path, w.ToString()), site);
    }

    private static ProfiledSite? WriteReadStatus(
        SourceWriter w, DriverUnitChoices unit, string path, SplitMix64 random, IDictionary<string, int> expected)
    {
        const string Member = "ReadStatus";
        var bytes = unit.StatusBytes.ToString(CultureInfo.InvariantCulture);
        w.Line("/// <summary>Reads the status byte; -1 when no buffer or mapping could be had.</summary>");
        if (unit.Status == StatusBuffer.SmallKmallocBounceOk)
        {
            w.Line("[DmaBounceOk(\"read once per minute: a bounce is cheaper than a dedicated cache line\")]");
        }

        w.Open($"public int {Member}()");
        if (!unit.ChecksStatusMapping)
        {
            Count(expected, "DMA005");
        }

        if (unit.Status == StatusBuffer.Stack)
        {
            Count(expected, "DMA003");
            w.Line($"byte* status = stackalloc byte[{bytes}];");
            w.Line($"var address = _device.MapSingle(status, {bytes}, DmaDirection.FromDevice);");
            WriteStatusCheck(w, unit);
            w.Line($"_device.UnmapSingle(address, {bytes}, DmaDirection.FromDevice);");
            w.Line("return status[0];");
            w.Close();
            return null;
        }

        var flags = unit.Status == StatusBuffer.SmallKmallocMarked ? ", Gfp.Kernel | Gfp.DmaAligned" : string.Empty;
        var allocationLine = w.NextLineNumber;
        w.Line($"var status = (byte*)_machine.Kmalloc({bytes}{flags});");
        w.Open("if (status == null)");
        w.Line("return -1;");
        w.Close();
        w.Line();
        w.Open("try");
        var mapLine = w.NextLineNumber;
        w.Line($"var address = _device.MapSingle(status, {bytes}, DmaDirection.FromDevice);");
        WriteStatusCheck(w, unit);
        w.Line($"_device.UnmapSingle(address, {bytes}, DmaDirection.FromDevice);");
        w.Line("return status[0];");
        w.Close();
        w.Open("finally");
        w.Line("_machine.Kfree(status);");
        w.Close();
        w.Close();

        if (unit.Status == StatusBuffer.SmallKmalloc)
        {
            Count(expected, "DMA002");
        }

        if (!unit.Profiled)
        {
            return null;
        }

        if (unit.Status == StatusBuffer.SmallKmalloc)
        {
            // One diagnostic at the allocation, one at the map call.
            Count(expected, "DMA004", 2);
        }

        var count = 100L + random.Below(50_000);
        return new ProfiledSite(path, Member, allocationLine, Member, mapLine, count, count * unit.StatusBytes);
    }

    private static void WriteStatusCheck(SourceWriter w, DriverUnitChoices unit)
    {
        if (unit.ChecksStatusMapping)
        {
            w.Open("if (_device.MappingError(address))");
            w.Line("return -1;");
            w.Close();
            w.Line();
        }
    }

    private static void Count(IDictionary<string, int> expected, string id, int by = 1) =>
        expected[id] = (expected.TryGetValue(id, out var n) ? n : 0) + by;
}
