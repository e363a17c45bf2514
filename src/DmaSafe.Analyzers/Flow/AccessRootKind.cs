namespace DmaSafe.Analyzers.Flow;

/// <summary>Where the memory reaching a DMA sink comes from, as far as one method shows.</summary>
internal enum AccessRootKind
{
    /// <summary>Nothing the analysis understands (an array, a conditional, an unknown operation).</summary>
    Unknown,

    /// <summary>A pointer-like parameter's value (<see cref="AccessPath.RootSymbol"/> is the parameter): the caller decides.</summary>
    Parameter,

    /// <summary>A local whose value cannot be followed (assigned more than once, or by ref/out).</summary>
    Local,

    /// <summary>
    /// A field: the pointer stored in it (<see cref="AccessPath.RootIsPointer"/>), or the field's own storage inside a
    /// managed object or static (as in <c>fixed (byte* p = _state.Buffer)</c>).
    /// </summary>
    Field,

    /// <summary>A <c>Machine.Kmalloc</c>/<c>Kzalloc</c> call (<see cref="AccessPath.RootOperation"/> is the invocation).</summary>
    Kmalloc,

    /// <summary>Any other call returning the pointer (<see cref="AccessPath.RootSymbol"/> is the method).</summary>
    Call,

    /// <summary>A <c>stackalloc</c> expression.</summary>
    Stackalloc,

    /// <summary>
    /// The storage of a local or a by-value parameter (its address was taken, or a buffer inside the local struct was
    /// used): stack memory. <see cref="AccessPath.RootSymbol"/> is the local or parameter.
    /// </summary>
    StackVariable,

    /// <summary>The storage of the struct an instance method runs on (<c>this</c> in a struct): wherever the caller keeps it.</summary>
    This,
}
