using System.Collections.Generic;
using System.Text;
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
    public void CheckMapping(BufferMapping mapping, BufferFindings problems)
    {
        var root = mapping.Fields[0].ContainingType;
        if (root.TypeKind != TypeKind.Struct)
        {
            problems.Add(BufferFindingKind.ManagedStorage, $"it is a field of the {root.TypeKind.ToString().ToLowerInvariant()} '{root.Name}', whose instances the runtime aligns to 8 bytes only and may move");
            return;
        }

        Check(root, mapping.Fields, mapping.Placement(_engine, _line), problems);
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

        // One builder for the whole sentence: it is made for every reported field, so no per-neighbour strings.
        var (lineStart, lineEnd) = buffer.LineSpan(_line);
        var text = new StringBuilder();
        text.Append("bytes [").Append(buffer.Start).Append("..").Append(buffer.End).Append(") of '").Append(rootName).Append("' share ");
        var firstLine = true;
        for (var line = lineStart / _line; line < lineEnd / _line; line++)
        {
            var firstNeighbour = true;
            foreach (var neighbour in neighbours)
            {
                if (!neighbour.TouchesLine(line, _line))
                {
                    continue;
                }

                if (firstNeighbour)
                {
                    text.Append(firstLine ? "line " : " and line ").Append(line)
                        .Append(" [").Append(line * _line).Append("..").Append((line + 1) * _line).Append(") with ");
                    firstLine = false;
                    firstNeighbour = false;
                }
                else
                {
                    text.Append(", ");
                }

                text.Append('\'').Append(neighbour.Path).Append("' [").Append(neighbour.Start).Append("..").Append(neighbour.End).Append(')');
            }
        }

        problems.Add(BufferFindingKind.SharedLine, text.ToString());
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
