using System.Globalization;

namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>
/// Writes the code of a driver project that never maps DMA, in groups of five files that use each other: a register
/// map, a frame codec, a state machine, a sample ring (unsafe pointer code, no sinks) and an options record. The
/// analyzers still see every method of these files, which is what a real project costs them.
/// </summary>
internal static class SupportFileWriter
{
    public const int KindsPerGroup = 5;

    public static GeneratedFile Write(int index, SplitMix64 random)
    {
        var group = (index / KindsPerGroup).ToString("D3", CultureInfo.InvariantCulture);
        return (index % KindsPerGroup) switch
        {
            0 => RegisterMap(group, random),
            1 => FrameCodec(group, random),
            2 => StateMachine(group, random),
            3 => SampleRing(group, random),
            _ => Options(group, random),
        };
    }

    private static SourceWriter Start(string folder, string group, params string[] usings)
    {
        var w = new SourceWriter();
        foreach (var u in usings)
        {
            w.Line($"using {u};");
        }

        if (usings.Length > 0)
        {
            w.Line();
        }

        w.Line($"namespace Synthetic.{folder}.Group{group};");
        w.Line();
        return w;
    }

    private static GeneratedFile RegisterMap(string group, SplitMix64 random)
    {
        var w = Start("Registers", group);
        var registers = 8 + random.Below(12);
        w.Line($"/// <summary>Register addresses and bit fields of block {group}.</summary>");
        w.Open($"public static class Registers{group}");
        for (var r = 0; r < registers; r++)
        {
            w.Line($"public const uint Reg{r} = 0x{0x40 + (r * 4):X4};");
        }

        w.Line();
        w.Line("/// <summary>Bits [<paramref name=\"low\"/>, <paramref name=\"low\"/>+<paramref name=\"width\"/>) of <paramref name=\"value\"/>.</summary>");
        w.Line("public static uint Field(uint value, int low, int width) => (value >> low) & ((1u << width) - 1u);");
        w.Line();
        w.Line("/// <summary><paramref name=\"value\"/> with the bit field replaced by <paramref name=\"field\"/>.</summary>");
        w.Open("public static uint WithField(uint value, int low, int width, uint field)");
        w.Line("var mask = ((1u << width) - 1u) << low;");
        w.Line("return (value & ~mask) | ((field << low) & mask);");
        w.Close();
        w.Line();
        w.Line("/// <summary>A readable name for a register address.</summary>");
        w.Open("public static string NameOf(uint address)");
        w.Open("return address switch");
        for (var r = 0; r < registers; r++)
        {
            w.Line($"Reg{r} => \"REG{r}\",");
        }

        w.Line("_ => \"0x\" + address.ToString(\"X4\", System.Globalization.CultureInfo.InvariantCulture),");
        w.Close(";");
        w.Close();
        w.Line();
        w.Line("/// <summary>Whether <paramref name=\"address\"/> is one of this block's registers.</summary>");
        w.Line($"public static bool IsKnown(uint address) => address >= Reg0 && address <= Reg{registers - 1} && (address & 3u) == 0;");
        w.Close();
        return new GeneratedFile($"Registers/Registers{group}.cs", w.ToString());
    }

    private static GeneratedFile FrameCodec(string group, SplitMix64 random)
    {
        var w = Start("Protocol", group, "System", "System.Buffers.Binary");
        var polynomial = 0x1021 + (random.Below(16) * 2);
        w.Line($"/// <summary>One frame of block {group}'s wire protocol.</summary>");
        w.Line($"public readonly record struct Frame{group}(byte Command, uint Register, ushort Value);");
        w.Line();
        w.Line($"/// <summary>Encodes and decodes <see cref=\"Frame{group}\"/> with a CRC-16.</summary>");
        w.Open($"public static class FrameCodec{group}");
        w.Line("public const int Length = 9;");
        w.Line();
        w.Line("/// <summary>Writes <paramref name=\"frame\"/> into <paramref name=\"destination\"/>.</summary>");
        w.Open($"public static void Encode(Frame{group} frame, Span<byte> destination)");
        w.Open("if (destination.Length < Length)");
        w.Line("throw new ArgumentException($\"A frame needs {Length} bytes, the buffer has {destination.Length}.\", nameof(destination));");
        w.Close();
        w.Line();
        w.Line("destination[0] = frame.Command;");
        w.Line("BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], frame.Register);");
        w.Line("BinaryPrimitives.WriteUInt16LittleEndian(destination[5..], frame.Value);");
        w.Line("BinaryPrimitives.WriteUInt16LittleEndian(destination[7..], Crc(destination[..7]));");
        w.Close();
        w.Line();
        w.Line("/// <summary>Reads a frame; false when the length or the CRC is wrong.</summary>");
        w.Open($"public static bool TryDecode(ReadOnlySpan<byte> source, out Frame{group} frame)");
        w.Line("frame = default;");
        w.Open("if (source.Length < Length || BinaryPrimitives.ReadUInt16LittleEndian(source[7..]) != Crc(source[..7]))");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line($"var register = BinaryPrimitives.ReadUInt32LittleEndian(source[1..]);");
        w.Open($"if (!Synthetic.Registers.Group{group}.Registers{group}.IsKnown(register))");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line($"frame = new Frame{group}(source[0], register, BinaryPrimitives.ReadUInt16LittleEndian(source[5..]));");
        w.Line("return true;");
        w.Close();
        w.Line();
        w.Line("/// <summary>CRC-16 over <paramref name=\"data\"/>.</summary>");
        w.Open("public static ushort Crc(ReadOnlySpan<byte> data)");
        w.Line("ushort crc = 0xFFFF;");
        w.Open("foreach (var b in data)");
        w.Line("crc ^= (ushort)(b << 8);");
        w.Open("for (var bit = 0; bit < 8; bit++)");
        w.Line($"crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x{polynomial:X4}) : (ushort)(crc << 1);");
        w.Close();
        w.Close();
        w.Line();
        w.Line("return crc;");
        w.Close();
        w.Close();
        return new GeneratedFile($"Protocol/FrameCodec{group}.cs", w.ToString());
    }

    private static GeneratedFile StateMachine(string group, SplitMix64 random)
    {
        var w = Start("Control", group, "System");
        var states = 4 + random.Below(5);
        w.Line($"/// <summary>The link states of block {group}.</summary>");
        w.Open($"public enum LinkState{group}");
        for (var s = 0; s < states; s++)
        {
            w.Line($"State{s},");
        }

        w.Close();
        w.Line();
        w.Line($"/// <summary>The link's state machine: each event moves it on or back to the start.</summary>");
        w.Open($"public sealed class Link{group}");
        w.Line("private readonly object _gate = new();");
        w.Line($"private LinkState{group} _state;");
        w.Line("private int _retries;");
        w.Line();
        w.Line("/// <summary>The current state.</summary>");
        w.Line($"public LinkState{group} State");
        w.Line("{");
        w.Line("    get { lock (_gate) { return _state; } }");
        w.Line("}");
        w.Line();
        w.Line("/// <summary>Applies an event: <paramref name=\"ok\"/> moves on, a failure retries then resets.</summary>");
        w.Open($"public LinkState{group} Step(bool ok)");
        w.Open("lock (_gate)");
        w.Open("_state = (_state, ok) switch");
        for (var s = 0; s < states - 1; s++)
        {
            w.Line($"(LinkState{group}.State{s}, true) => LinkState{group}.State{s + 1},");
        }

        w.Line($"(LinkState{group}.State{states - 1}, true) => LinkState{group}.State{states - 1},");
        w.Line($"(_, false) when _retries < {1 + random.Below(4)} => _state,");
        w.Line($"_ => LinkState{group}.State0,");
        w.Close(";");
        w.Line("_retries = ok ? 0 : _retries + 1;");
        w.Line("return _state;");
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <summary>The register a state polls.</summary>");
        w.Line($"public static uint PollRegister(LinkState{group} state) =>");
        w.Line($"    Synthetic.Registers.Group{group}.Registers{group}.Reg0 + ((uint)state % 4u * 4u);");
        w.Close();
        return new GeneratedFile($"Control/Link{group}.cs", w.ToString());
    }

    private static GeneratedFile SampleRing(string group, SplitMix64 random)
    {
        var w = Start("Buffers", group, "System");
        var capacity = 64 << random.Below(4);
        w.Line($"/// <summary>A ring of the last {capacity} samples of block {group}, with pointer-based statistics.</summary>");
        w.Open($"public sealed unsafe class SampleRing{group}");
        w.Line($"private readonly ushort[] _samples = new ushort[{capacity}];");
        w.Line("private int _next;");
        w.Line("private int _count;");
        w.Line();
        w.Line("/// <summary>How many samples the ring holds.</summary>");
        w.Line("public int Count => _count;");
        w.Line();
        w.Line("/// <summary>Adds a sample, overwriting the oldest when full.</summary>");
        w.Open("public void Push(ushort sample)");
        w.Line("_samples[_next] = sample;");
        w.Line("_next = (_next + 1) % _samples.Length;");
        w.Line("_count = Math.Min(_count + 1, _samples.Length);");
        w.Close();
        w.Line();
        w.Line("/// <summary>The mean of the held samples, 0 when empty.</summary>");
        w.Open("public double Mean()");
        w.Open("if (_count == 0)");
        w.Line("return 0;");
        w.Close();
        w.Line();
        w.Line("long sum = 0;");
        w.Open("fixed (ushort* start = _samples)");
        w.Line("var p = start;");
        w.Line("var end = start + _count;");
        w.Open("while (p < end)");
        w.Line("sum += *p++;");
        w.Close();
        w.Close();
        w.Line();
        w.Line("return (double)sum / _count;");
        w.Close();
        w.Line();
        w.Line("/// <summary>Copies the held samples, oldest first, into <paramref name=\"destination\"/>.</summary>");
        w.Open("public int CopyTo(Span<ushort> destination)");
        w.Line("var n = Math.Min(destination.Length, _count);");
        w.Line("var first = (_next - _count + _samples.Length) % _samples.Length;");
        w.Open("for (var i = 0; i < n; i++)");
        w.Line("destination[i] = _samples[(first + i) % _samples.Length];");
        w.Close();
        w.Line();
        w.Line("return n;");
        w.Close();
        w.Close();
        return new GeneratedFile($"Buffers/SampleRing{group}.cs", w.ToString());
    }

    private static GeneratedFile Options(string group, SplitMix64 random)
    {
        var w = Start("Config", group, "System", "System.Collections.Generic");
        var maxHz = 1_000_000 * (1 + random.Below(50));
        w.Line($"/// <summary>Block {group}'s options as read from the device tree.</summary>");
        w.Line($"public sealed record Options{group}(string Name, int ClockHz, int Channels, bool Coherent)");
        w.Line("{");
        w.Line($"    public const int MaxClockHz = {maxHz};");
        w.Line();
        w.Line("    /// <summary>The problems with these options, empty when they are usable.</summary>");
        w.Line("    public IReadOnlyList<string> Problems()");
        w.Line("    {");
        w.Line("        var problems = new List<string>();");
        w.Line("        if (string.IsNullOrWhiteSpace(Name))");
        w.Line("        {");
        w.Line("            problems.Add(\"name is empty\");");
        w.Line("        }");
        w.Line();
        w.Line("        if (ClockHz <= 0 || ClockHz > MaxClockHz)");
        w.Line("        {");
        w.Line("            problems.Add($\"clock {ClockHz} Hz is outside (0, {MaxClockHz}]\");");
        w.Line("        }");
        w.Line();
        w.Line("        if (Channels is < 1 or > 16)");
        w.Line("        {");
        w.Line("            problems.Add($\"{Channels} channels; 1 to 16 are supported\");");
        w.Line("        }");
        w.Line();
        w.Line("        return problems;");
        w.Line("    }");
        w.Line();
        w.Line("    /// <summary>These options, or an exception naming every problem.</summary>");
        w.Line($"    public Options{group} Validated()");
        w.Line("    {");
        w.Line("        var problems = Problems();");
        w.Line("        return problems.Count == 0");
        w.Line("            ? this");
        w.Line("            : throw new ArgumentException($\"Options of '{Name}': {string.Join(\"; \", problems)}.\");");
        w.Line("    }");
        w.Line("}");
        return new GeneratedFile($"Config/Options{group}.cs", w.ToString());
    }
}
