using System.Collections.Generic;
using System.Linq;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>
/// The three ways a buffer can fail to own its lines (LAYOUT-FACTS §5): another field's bytes in its lines, a root
/// struct nothing places on a line boundary (or whose last line runs into the next allocation), and a [DmaAligned]
/// struct embedded off a line boundary. Each finding is one sentence naming offsets, lines and neighbours.
/// </summary>
internal sealed class BufferLineCheck
{
    private readonly DmaSymbols _symbols;
    private readonly StructLayoutEngine _engine;
    private readonly int _line;
    private readonly System.Func<IFieldSymbol, bool> _isDmaBuffer;

    public BufferLineCheck(DmaSymbols symbols, StructLayoutEngine engine, int lineSize, System.Func<IFieldSymbol, bool> isDmaBuffer)
    {
        _symbols = symbols;
        _engine = engine;
        _line = lineSize;
        _isDmaBuffer = isDmaBuffer;
    }

    /// <summary>Checks a [DmaBuffer] field no sink was seen mapping: rooted in its own struct, placed by whoever allocates it.</summary>
    public void CheckDeclared(IFieldSymbol field, BufferFindings problems)
    {
        var container = field.ContainingType;
        if (container.TypeKind != TypeKind.Struct)
        {
            problems.Add(BufferFindingKind.ManagedStorage, $"it is a field of the {container.TypeKind.ToString().ToLowerInvariant()} '{container.Name}', whose instances the runtime aligns to 8 bytes only and may move");
            return;
        }

        Check(container, new[] { field }, RootPlacement.Unplaced, problems);
    }

    /// <summary>Checks one mapping of a field's storage, rooted where the access path starts.</summary>
    public void CheckMapping(SinkUse use, BufferFindings problems)
    {
        var path = use.Path;
        var root = path.Fields[0].ContainingType;
        if (root.TypeKind != TypeKind.Struct)
        {
            problems.Add(BufferFindingKind.ManagedStorage, $"it is a field of the {root.TypeKind.ToString().ToLowerInvariant()} '{root.Name}', whose instances the runtime aligns to 8 bytes only and may move");
            return;
        }

        var placement = !path.RootIsPointer && path.RootKind == AccessRootKind.Field
            ? RootPlacement.InManagedStorage(path.RootSymbol)
            : path.RootKind == AccessRootKind.Kmalloc
                ? RootPlacement.FromKmalloc(_symbols, _engine, path.Kmalloc, _line)
                : RootPlacement.Unplaced;
        Check(root, path.Fields, placement, problems);
    }

    private void Check(INamedTypeSymbol root, IReadOnlyList<IFieldSymbol> chain, RootPlacement placement, BufferFindings problems)
    {
        var buffer = BufferPlacement.Locate(_engine, root, chain, out var whyNot);
        if (buffer is null)
        {
            problems.Add(BufferFindingKind.UnknownLayout, whyNot + ", so its cache lines cannot be shown to be its own");
            return;
        }

        var rootName = root.Name;
        ReportSharedLines(buffer, rootName, problems);
        ReportMisplacedAlignedStructs(buffer, rootName, problems);

        var rootAligned = _symbols.IsDmaAligned(root) && !placement.IsManagedStorage;
        if (rootAligned || placement.IsLineAligned)
        {
            // [DmaAligned] rounds the allocation up to whole lines; a kmalloc object owns its whole size class.
            var ownedBytes = rootAligned ? (int)LayoutMath.AlignUp(buffer.Root.Size, _line) : placement.ObjectSize;
            var (_, lineEnd) = buffer.LineSpan(_line);
            if (lineEnd > ownedBytes)
            {
                problems.Add(BufferFindingKind.TailPastAllocation, $"its last line [{lineEnd - _line}..{lineEnd}) runs past the {ownedBytes} bytes '{rootName}' owns into the next allocation");
            }

            return;
        }

        problems.Add(placement.IsManagedStorage ? BufferFindingKind.ManagedStorage : BufferFindingKind.RootNotPlaced, placement.Problem(rootName, _line));
    }

    private void ReportSharedLines(BufferPlacement buffer, string rootName, BufferFindings problems)
    {
        var neighbours = buffer.NeighboursInLines(_line, _isDmaBuffer);
        if (neighbours.IsEmpty)
        {
            return;
        }

        var (lineStart, lineEnd) = buffer.LineSpan(_line);
        var parts = new List<string>();
        for (var line = lineStart / _line; line < lineEnd / _line; line++)
        {
            var sharing = neighbours.Where(n => n.TouchesLine(line, _line)).Select(n => $"'{n.Path}' [{n.Start}..{n.End})").ToArray();
            if (sharing.Length > 0)
            {
                parts.Add($"line {line} [{line * _line}..{(line + 1) * _line}) with {string.Join(", ", sharing)}");
            }
        }

        problems.Add(BufferFindingKind.SharedLine, $"bytes [{buffer.Start}..{buffer.End}) of '{rootName}' share {string.Join(" and ", parts)}");
    }

    private void ReportMisplacedAlignedStructs(BufferPlacement buffer, string rootName, BufferFindings problems)
    {
        foreach (var placed in buffer.Chain)
        {
            if (placed.Field.Field.Type is INamedTypeSymbol type && _symbols.IsDmaAligned(type) && placed.Offset % _line != 0)
            {
                problems.Add(BufferFindingKind.MisplacedAlignedStruct, $"[DmaAligned] '{type.Name}' sits at offset {placed.Offset} of '{rootName}', not a multiple of {_line}");
            }
        }
    }
}
