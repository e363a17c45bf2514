using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace DmaSafe;

/// <summary>
/// Shows how an unmanaged struct is really laid out and which fields share cache lines with its DMA buffers:
/// offsets are measured on an instance (not computed, not marshalled), so the view is what the device sees.
/// </summary>
public static class DmaLayout
{
    private const DynamicallyAccessedMemberTypes AllFields = DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields;

    /// <summary>Measures <typeparamref name="T"/>: its size and every instance field's offset and size, in declaration order.</summary>
    public static DmaStructLayout Measure<[DynamicallyAccessedMembers(AllFields)] T>()
        where T : unmanaged
    {
        var type = typeof(T);
        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                         .OrderBy(field => field.MetadataToken)
                         .Select(field => Describe<T>(field))
                         .ToList();
        return new DmaStructLayout(TypeNames.Of(type), Unsafe.SizeOf<T>(), HasAttribute(type.CustomAttributes, "DmaSafe.DmaAlignedAttribute"), fields);
    }

    /// <summary>
    /// The pahole-style view of <typeparamref name="T"/> for lines of <paramref name="lineSize"/> bytes (default 128,
    /// arm64's <c>ARCH_DMA_MINALIGN</c>): see <see cref="DmaStructLayout.Describe"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lineSize"/> is not a power of two from 8 to 65536.</exception>
    public static string Describe<[DynamicallyAccessedMembers(AllFields)] T>(int lineSize = 128)
        where T : unmanaged =>
        Measure<T>().Describe(lineSize);

    private static DmaFieldLayout Describe<T>(FieldInfo field)
        where T : unmanaged
    {
        var offset = FieldProbe.OffsetOf<T>(field);
        var size = FieldProbe.SizeOf(field.FieldType);
        var isDmaBuffer = HasAttribute(field.CustomAttributes, "DmaSafe.DmaBufferAttribute");
        var name = DeclaredName(field.Name);

        // A fixed buffer is compiled as a nested struct; show it as C# declares it: byte Rx[128].
        if (field.GetCustomAttribute<FixedBufferAttribute>() is { } fixedBuffer)
        {
            return new DmaFieldLayout($"{name}[{fixedBuffer.Length}]", TypeNames.Of(fixedBuffer.ElementType), offset, size, isDmaBuffer);
        }

        // An [InlineArray] struct as T's own single field repeats it Length times.
        if (typeof(T).GetCustomAttribute<InlineArrayAttribute>() is { } inlineArray)
        {
            return new DmaFieldLayout($"{name}[{inlineArray.Length}]", TypeNames.Of(field.FieldType), offset, size * inlineArray.Length, isDmaBuffer);
        }

        return new DmaFieldLayout(name, TypeNames.Of(field.FieldType), offset, size, isDmaBuffer);
    }

    // By full name, as the analyzers match them: a project may declare its own copies of the attributes.
    private static bool HasAttribute(IEnumerable<CustomAttributeData> attributes, string fullName) =>
        attributes.Any(attribute => attribute.AttributeType.FullName == fullName);

    /// <summary>A record struct's <c>&lt;Name&gt;k__BackingField</c> is shown as <c>Name</c>.</summary>
    private static string DeclaredName(string fieldName)
    {
        const string BackingSuffix = ">k__BackingField";
        return fieldName.StartsWith('<') && fieldName.EndsWith(BackingSuffix, StringComparison.Ordinal)
            ? fieldName[1..^BackingSuffix.Length]
            : fieldName;
    }
}
