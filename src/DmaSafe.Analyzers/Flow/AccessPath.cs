using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// The memory an expression points at, as a root plus a chain of fields: <c>st-&gt;inner.buf</c> with <c>st</c> from
/// <c>machine.Kmalloc&lt;State&gt;()</c> is root <see cref="AccessRootKind.Kmalloc"/>, fields [inner, buf].
/// </summary>
internal sealed class AccessPath
{
    public AccessPath(
        AccessRootKind rootKind,
        ISymbol? rootSymbol,
        IOperation? rootOperation,
        bool rootIsPointer,
        ImmutableArray<IFieldSymbol> fields,
        bool hasOffset,
        ITypeSymbol? pointedAtType,
        KmallocCall? kmalloc)
    {
        RootKind = rootKind;
        RootSymbol = rootSymbol;
        RootOperation = rootOperation;
        RootIsPointer = rootIsPointer;
        Fields = fields;
        HasOffset = hasOffset;
        PointedAtType = pointedAtType;
        Kmalloc = kmalloc;
    }

    /// <summary>Where the memory comes from.</summary>
    public AccessRootKind RootKind { get; }

    /// <summary>The local, parameter, field or called method of the root; null for stackalloc, kmalloc and unknown roots.</summary>
    public ISymbol? RootSymbol { get; }

    /// <summary>
    /// The operation that produced the root (the kmalloc or other invocation, the stackalloc, the reference to the
    /// variable) when the operation path traced it; null when syntax and symbols decided the block (no operation tree
    /// was built). Rules read <see cref="Kmalloc"/> and the symbols instead.
    /// </summary>
    public IOperation? RootOperation { get; }

    /// <summary>The allocation, for a <see cref="AccessRootKind.Kmalloc"/> root (either path); null otherwise.</summary>
    public KmallocCall? Kmalloc { get; }

    /// <summary>
    /// True when the field chain starts in the memory the root's value points at (a pointer root: <c>st-&gt;buf</c>);
    /// false when it starts in the root variable's own storage (<c>s.buf</c> for a local or a field of struct type).
    /// </summary>
    public bool RootIsPointer { get; }

    /// <summary>The fields from the root outwards; empty when the root's memory itself is mapped.</summary>
    public ImmutableArray<IFieldSymbol> Fields { get; }

    /// <summary>True when pointer arithmetic, an indexer or a slice moved the address past the start of the path.</summary>
    public bool HasOffset { get; }

    /// <summary>
    /// The type of the memory the chain starts in when known: the containing type of the first field, or else the type the
    /// root pointer points at (after casts, e.g. <c>(State*)machine.Kmalloc(256)</c> gives State).
    /// </summary>
    public ITypeSymbol? PointedAtType { get; }

    /// <summary>The same path with another type for the memory the chain starts in.</summary>
    public AccessPath WithPointedAtType(ITypeSymbol? type) =>
        new(RootKind, RootSymbol, RootOperation, RootIsPointer, Fields, HasOffset, type, Kmalloc);

    /// <summary>
    /// The same path with one more field at the end (and the first field's type as the start when it is the first). An
    /// offset already taken stays: it moved the whole struct, so what the chain names is no longer certain.
    /// </summary>
    public AccessPath Append(IFieldSymbol field) =>
        new(RootKind, RootSymbol, RootOperation, RootIsPointer, Fields.Add(field), HasOffset, Fields.IsEmpty ? field.ContainingType : PointedAtType, Kmalloc);

    /// <summary>The same path, moved past its start when <paramref name="moved"/>.</summary>
    public AccessPath WithOffset(bool moved) =>
        moved && !HasOffset ? new(RootKind, RootSymbol, RootOperation, RootIsPointer, Fields, hasOffset: true, PointedAtType, Kmalloc) : this;

    /// <summary>The last field of the chain (the mapped buffer), or null.</summary>
    public IFieldSymbol? LastField => Fields.IsEmpty ? null : Fields[Fields.Length - 1];

    /// <summary>True for stack memory: a stackalloc, or the storage of a local or by-value parameter.</summary>
    public bool IsStack => RootKind is AccessRootKind.Stackalloc or AccessRootKind.StackVariable;

    /// <summary>A short description for messages and tests: <c>kmalloc-&gt;inner.buf+</c>, <c>&amp;local s.hdr</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(RootKind switch
        {
            AccessRootKind.Kmalloc => "kmalloc",
            AccessRootKind.Stackalloc => "stackalloc",
            AccessRootKind.Unknown => "?",
            _ => RootSymbol?.Name ?? "?",
        });
        for (var i = 0; i < Fields.Length; i++)
        {
            text.Append(i == 0 && RootIsPointer ? "->" : ".");
            text.Append(Fields[i].Name);
        }

        if (HasOffset)
        {
            text.Append('+');
        }

        return text.ToString();
    }
}
