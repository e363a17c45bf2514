using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Loader;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>
/// Measures the layout the running CoreCLR actually gives a type: sizeof, and each field's address minus the struct's
/// address (an ldflda difference on a raw pointer, as ObjectLayoutInspector does). Never Marshal.OffsetOf, which reports
/// the marshalled layout instead.
/// </summary>
internal static unsafe class RuntimeLayoutProbe
{
    public sealed record Measured(int Size, IReadOnlyDictionary<string, int> Offsets);

    public static Assembly Load(byte[] image, string name) =>
        new AssemblyLoadContext(name + Guid.NewGuid().ToString("N"), isCollectible: false).LoadFromStream(new System.IO.MemoryStream(image));

    public static Measured Measure(Type type)
    {
        var offsets = new Dictionary<string, int>();
        var size = SizeOf(type);

        // The JIT may probe the instance for null, so the address must be real memory of the struct's size.
        var instance = (nint)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)Math.Max(size, 1));
        try
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                offsets[field.Name] = (int)FieldOffset(field, instance);
            }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free((void*)instance);
        }

        return new Measured(size, offsets);
    }

    public static int SizeOf(Type type)
    {
        var method = new DynamicMethod("sizeof_" + type.Name, typeof(int), Type.EmptyTypes, typeof(RuntimeLayoutProbe).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Sizeof, type);
        il.Emit(OpCodes.Ret);
        return (int)method.Invoke(null, null)!;
    }

    private static long FieldOffset(FieldInfo field, nint instance)
    {
        // long offset(nint p) => (nint)&((T*)p)->field - p; the struct is never touched, only addresses are computed.
        var method = new DynamicMethod("offset_" + field.Name, typeof(long), new[] { typeof(nint) }, typeof(RuntimeLayoutProbe).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldflda, field);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Ret);
        return (long)method.Invoke(null, new object[] { instance })!;
    }
}
