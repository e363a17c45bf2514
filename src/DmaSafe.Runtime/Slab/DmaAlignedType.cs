using System.Reflection;

namespace DmaSafe;

/// <summary>Caches, per struct type, whether it carries <see cref="DmaAlignedAttribute"/>: one reflection call per type, ever.</summary>
internal static class DmaAlignedType<T>
    where T : unmanaged
{
    public static readonly Gfp Flags =
        typeof(T).IsDefined(typeof(DmaAlignedAttribute), inherit: false) ? Gfp.DmaAligned : Gfp.Kernel;
}
