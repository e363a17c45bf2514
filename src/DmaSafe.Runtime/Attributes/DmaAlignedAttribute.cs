using System;

namespace DmaSafe;

/// <summary>
/// On a struct: instances are allocated on <see cref="MachineOptions.DmaMinAlign"/> boundaries and their
/// allocation size is rounded up to a multiple of it, so a buffer laid out on line boundaries inside the
/// struct owns its cache lines. <see cref="Machine.Kmalloc{T}(Gfp, string, string, int)"/> honours it.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class DmaAlignedAttribute : Attribute
{
}
