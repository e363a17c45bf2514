using System;
using System.Reflection;
using System.Reflection.Emit;

namespace DmaSafe;

/// <summary>
/// Measures the managed layout the runtime really chose: a field's offset as the difference between its address
/// (<c>ldflda</c>) and the struct's address, and a type's size with the <c>sizeof</c> opcode. Marshal.OffsetOf and
/// Marshal.SizeOf report the marshalled layout (bool as 4 bytes, char as 1) and would be wrong here.
/// </summary>
internal static unsafe class FieldProbe
{
    public static int OffsetOf<T>(FieldInfo field)
        where T : unmanaged
    {
        // offset(nint instance) => (nint)&((T*)instance)->field - instance; ldflda accepts an unmanaged pointer.
        var method = new DynamicMethod($"OffsetOf_{field.Name}", typeof(nint), [typeof(nint)], typeof(FieldProbe).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldflda, field);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Ret);
        var offsetOf = method.CreateDelegate<Func<nint, nint>>();
        var instance = default(T);
        return checked((int)offsetOf((nint)(&instance)));
    }

    public static int SizeOf(Type type)
    {
        var method = new DynamicMethod($"SizeOf_{type.Name}", typeof(int), Type.EmptyTypes, typeof(FieldProbe).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Sizeof, type);
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<int>>()();
    }
}
