using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DmaSafe.Analyzers.Tests.Reliability.Layout;

/// <summary>
/// C# source for a batch of random structs <c>S0…Sn</c> (each may embed earlier ones), each with a wrapper
/// <c>P{i} { byte pad; S{i} value; }</c> whose <c>value</c> offset is the struct's alignment as a field. Specs are
/// repaired into declarations the runtime loads (no references in Explicit or InlineArray structs, no Size on
/// InlineArray), and each struct is classified: knowable (the engine must give the right numbers) or not (it may
/// say unknown, and if it gives numbers they must be right).
/// </summary>
internal sealed class RandomStructSource
{
    private static readonly string[] Scalars =
    {
        "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "bool", "char", "float", "double", "nint", "nuint",
        "decimal", "Guid", "Int128", "UInt128", "Half", "DateTime", "DateTimeOffset", "TimeSpan", "DateOnly",
        "System.Runtime.Intrinsics.Vector64<byte>", "System.Runtime.Intrinsics.Vector128<int>", "System.Runtime.Intrinsics.Vector256<byte>",
        "System.Runtime.Intrinsics.Vector512<byte>", "System.Numerics.Vector4", "System.Numerics.Complex", "int?", "long?",
        "byte*", "long*", "delegate*<void>", "E8", "E16", "E32", "E64",
    };

    private static readonly string[] FixedElements = { "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong", "char", "float", "double", "bool" };

    private static readonly string[] UnknowableTypes = { "object", "string", "int[]", "System.Numerics.Vector<byte>" };

    private const long MaxNestedBound = 4096;

    private readonly List<string> _declarations = new();
    private readonly List<bool> _knowable = new();
    private readonly List<bool> _holdsReferences = new();
    private readonly List<long> _sizeBound = new();

    public RandomStructSource(IReadOnlyList<RandomStructSpec> specs)
    {
        Specs = specs;
        for (var i = 0; i < specs.Count; i++)
        {
            Declare(i, specs[i]);
        }

        var text = new StringBuilder("using System;\nusing System.Runtime.CompilerServices;\nusing System.Runtime.InteropServices;\nnamespace Rnd;\n");
        text.Append("public enum E8 : byte { A } public enum E16 : short { A } public enum E32 { A } public enum E64 : long { A }\n");
        foreach (var declaration in _declarations)
        {
            text.Append(declaration);
        }

        Text = text.ToString();
    }

    public IReadOnlyList<RandomStructSpec> Specs { get; }

    public string Text { get; }

    public bool IsKnowable(int index) => _knowable[index];

    public bool HoldsReferences(int index) => _holdsReferences[index];

    /// <summary>Struct <paramref name="index"/> and every struct it embeds, as a minimal program that shows a failure.</summary>
    public string Closure(int index)
    {
        var needed = new SortedSet<int>();
        var work = new Stack<int>();
        work.Push(index);
        while (work.Count > 0)
        {
            var i = work.Pop();
            if (needed.Add(i))
            {
                foreach (var nested in System.Text.RegularExpressions.Regex.Matches(_declarations[i], @"\bS(\d+)\b").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    if (nested != i)
                    {
                        work.Push(nested);
                    }
                }
            }
        }

        return string.Concat(needed.Select(i => _declarations[i]));
    }

    private void Declare(int index, RandomStructSpec spec)
    {
        var kind = spec.Kind;
        var knowable = kind != RandomLayoutKind.Auto;
        var references = false;
        var fields = new List<string>();
        var body = new StringBuilder();
        var attributes = new List<string>();
        long bound = 0;

        if (kind == RandomLayoutKind.InlineArray)
        {
            // One element field; never a fixed buffer, a reference or an unknowable type, so the type always loads.
            var (type, elementKnowable, _) = FieldType(index, spec.Fields[0] with { Kind = spec.Fields[0].Kind == RandomFieldKind.Nested ? RandomFieldKind.Nested : RandomFieldKind.Scalar }, allowReferences: false, allowNestedReferences: false);
            knowable &= elementKnowable;
            attributes.Add($"InlineArray({spec.Length})");
            if (spec.Pack != 0)
            {
                attributes.Add($"StructLayout(LayoutKind.Sequential, Pack = {spec.Pack})");
            }

            body.Append($"public {type} e; ");
            bound = spec.Length * BoundOf(type);
        }
        else
        {
            var layout = new List<string> { "LayoutKind." + (kind == RandomLayoutKind.Explicit ? "Explicit" : kind == RandomLayoutKind.Auto ? "Auto" : "Sequential") };
            if (spec.Pack != 0)
            {
                layout.Add("Pack = " + spec.Pack);
            }

            if (spec.Size != 0)
            {
                layout.Add("Size = " + spec.Size);
            }

            if (kind != RandomLayoutKind.Sequential || layout.Count > 1)
            {
                attributes.Add($"StructLayout({string.Join(", ", layout)})");
            }

            // Explicit: references only pointer-aligned and past every other field, which the runtime accepts.
            var types = new List<(string Type, bool Knowable, bool Reference)>();
            for (var f = 0; f < spec.Fields.Length; f++)
            {
                var allowReferences = kind is RandomLayoutKind.Sequential or RandomLayoutKind.Explicit;
                types.Add(FieldType(index, spec.Fields[f], allowReferences, allowNestedReferences: kind == RandomLayoutKind.Sequential));
            }

            bound = spec.Size + types.Select((t, f) => BoundOf(t.Type) + (kind == RandomLayoutKind.Explicit ? spec.Fields[f].Offset : 0)).Sum();
            var referenceSlot = 8 * ((bound + 8) / 8);
            bound += 8 * spec.Fields.Length + 8;
            for (var f = 0; f < spec.Fields.Length; f++)
            {
                var field = spec.Fields[f];
                // Explicit takes plain references at their own pointer-aligned slots, never structs mixing both kinds.
                var (type, fieldKnowable, isReference) = types[f];
                var isFixed = type.StartsWith("fixed ", StringComparison.Ordinal);
                knowable &= fieldKnowable;
                references |= isReference;
                if (kind == RandomLayoutKind.Explicit)
                {
                    var offset = isReference ? referenceSlot + 8 * f : field.Offset;
                    body.Append($"[FieldOffset({offset})] ");
                }

                body.Append(isFixed ? $"public {type.Replace("NAME", "f" + f, StringComparison.Ordinal)}; " : $"public {type} f{f}; ");
            }

            // A Sequential struct holding a reference is laid out Auto by the runtime.
            if (kind == RandomLayoutKind.Sequential && references)
            {
                knowable = false;
            }
        }

        _sizeBound.Add(bound);
        _knowable.Add(knowable);
        _holdsReferences.Add(references);
        var attributeText = attributes.Count == 0 ? string.Empty : $"[{string.Join(", ", attributes)}] ";
        _declarations.Add($"{attributeText}public unsafe struct S{index} {{ {body}}}\npublic struct P{index} {{ public byte pad; public S{index} value; }}\n");
    }

    /// <summary>An upper bound on a field type's size, alignment padding included (for placing Explicit references past everything).</summary>
    private long BoundOf(string type)
    {
        if (type.StartsWith("fixed ", StringComparison.Ordinal))
        {
            var count = int.Parse(type[(type.IndexOf('[', StringComparison.Ordinal) + 1)..type.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            return 8L * count + 8;
        }

        if (type.Length > 1 && type[0] == 'S' && char.IsDigit(type[1]))
        {
            return _sizeBound[int.Parse(type[1..], System.Globalization.CultureInfo.InvariantCulture)] + 64;
        }

        return 128; // every scalar, reference and vector is at most 64 bytes, aligned at most to 64
    }

    /// <summary>The field's type text (fixed buffers as <c>fixed T NAME[n]</c>), whether the engine can know it, whether it is a GC reference or holds one.</summary>
    private (string Type, bool Knowable, bool Reference) FieldType(int index, RandomFieldSpec field, bool allowReferences, bool allowNestedReferences)
    {
        switch (field.Kind)
        {
            case RandomFieldKind.FixedBuffer:
                return ($"fixed {FixedElements[field.Pick % FixedElements.Length]} NAME[{field.Count}]", true, false);

            case RandomFieldKind.Nested when index > 0:
            {
                // Only modest structs nest, so sizes stay bounded however deep the chains of a batch get.
                var nested = field.Pick % index;
                if ((_holdsReferences[nested] && !allowNestedReferences) || _sizeBound[nested] > MaxNestedBound)
                {
                    break;
                }

                return ($"S{nested}", _knowable[nested], _holdsReferences[nested]);
            }

            case RandomFieldKind.Unknowable:
            {
                var type = UnknowableTypes[field.Pick % UnknowableTypes.Length];
                var isReference = type != "System.Numerics.Vector<byte>";
                if (isReference && !allowReferences)
                {
                    break;
                }

                // An Explicit struct with well-placed references is knowable; Vector<T> never is.
                return (type, isReference, isReference);
            }
        }

        return (Scalars[field.Pick % Scalars.Length], true, false);
    }
}
