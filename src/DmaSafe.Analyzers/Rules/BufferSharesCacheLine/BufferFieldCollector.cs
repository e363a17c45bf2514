using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Rules.BufferSharesCacheLine;

/// <summary>
/// Per-compilation state of DMA001: the candidate fields and every mapping of each, gathered concurrently, checked
/// and reported once at compilation end.
/// </summary>
internal sealed class BufferFieldCollector
{
    private readonly DmaSymbols _symbols;
    private readonly StructLayoutEngine _engine;
    private readonly ConcurrentDictionary<IFieldSymbol, bool> _declared = new(SymbolEqualityComparer.Default as IEqualityComparer<IFieldSymbol>);
    private readonly ConcurrentDictionary<IFieldSymbol, FieldMappings> _mappings = new(SymbolEqualityComparer.Default as IEqualityComparer<IFieldSymbol>);

    public BufferFieldCollector(DmaSymbols symbols, StructLayoutEngine engine)
    {
        _symbols = symbols;
        _engine = engine;
    }

    /// <summary>Notes a field declaration; only [DmaBuffer] fields become candidates by themselves.</summary>
    public void AddDeclared(IFieldSymbol field)
    {
        if (!field.IsStatic && !field.IsConst && _symbols.IsDmaBuffer(field))
        {
            _declared.TryAdd(field.OriginalDefinition, true);
        }
    }

    /// <summary>Notes the sink uses of one operation block whose memory is a field's own storage.</summary>
    public void AddMappings(ISymbol? owner, ImmutableArray<SinkUse> uses)
    {
        var bounceAccepted = _symbols.IsBounceOk(owner);
        foreach (var use in uses)
        {
            // Stack memory is DMA003's; a path without fields maps a whole allocation, which is DMA002's.
            if (use.Path.IsStack || use.Path.LastField is not { } field)
            {
                continue;
            }

            // What the end check reads is decided now: a mapping in [DmaBounceOk] code or of a [DmaBounceOk] struct
            // only counts as seen, a ToDevice one only as live; the others are kept, without their operations.
            var live = !bounceAccepted && !_symbols.IsBounceOk(use.Path.Fields[0].ContainingType);
            var risky = live && use.Direction != MappedDirection.ToDevice;
            _mappings.GetOrAdd(field.OriginalDefinition, static _ => new FieldMappings())
                .Add(live, risky ? new BufferMapping(use, _symbols) : null);
        }
    }

    /// <summary>Checks every candidate field and reports each unsafe one once.</summary>
    public void ReportAll(Action<Diagnostic> report, CancellationToken cancellation)
    {
        var candidates = new HashSet<IFieldSymbol>(_declared.Keys, SymbolEqualityComparer.Default);
        candidates.UnionWith(_mappings.Keys);
        foreach (var field in candidates.OrderBy(f => f.Locations.FirstOrDefault()?.SourceTree?.FilePath, StringComparer.Ordinal)
                                        .ThenBy(f => f.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0))
        {
            cancellation.ThrowIfCancellationRequested();
            if (Check(field) is { } diagnostic)
            {
                report(diagnostic);
            }
        }
    }

    private Diagnostic? Check(IFieldSymbol field)
    {
        var declaration = field.Locations.FirstOrDefault(l => l.IsInSource);
        if (declaration is null ||
            !SymbolEqualityComparer.Default.Equals(field.ContainingAssembly, _symbols.Compilation.Assembly) ||
            _symbols.IsBounceOk(field) ||
            IsHandleToOtherMemory(field))
        {
            return null;
        }

        // Mapped only where [DmaBounceOk] accepts it: nothing to report. Mapped live but only ToDevice: the device
        // only reads, so sharing a line is harmless.
        var mapped = _mappings.TryGetValue(field, out var found) ? found : null;
        if (mapped is not null && !mapped.AnyLive)
        {
            return null;
        }

        var risky = mapped?.Risky() ?? Array.Empty<BufferMapping>();
        if (mapped is not null && risky.Length == 0)
        {
            return null;
        }

        var lineSize = _symbols.Options.DmaMinAlign(declaration.SourceTree);
        var check = new BufferLineCheck(_symbols, _engine, lineSize, IsDmaBuffer);
        var problems = new BufferFindings();
        if (risky.Length == 0)
        {
            check.CheckDeclared(field, problems);
        }
        else
        {
            foreach (var mapping in risky)
            {
                check.CheckMapping(mapping, problems);
            }
        }

        if (problems.IsEmpty)
        {
            return null;
        }

        var additional = AdditionalLocations(risky);
        var name = field.AssociatedSymbol?.Name ?? field.Name;
        return Diagnostic.Create(Descriptors.BufferSharesCacheLine, declaration, additional, FixProperties(problems, risky, lineSize), name, problems.Describe());
    }

    // Each distinct sink call in source, ordered by file and position.
    private static IEnumerable<Location>? AdditionalLocations(BufferMapping[] risky)
    {
        List<Location>? locations = null;
        foreach (var mapping in risky)
        {
            var location = mapping.CallLocation;
            if (location.IsInSource && !(locations ??= new List<Location>(risky.Length)).Contains(location))
            {
                locations.Add(location);
            }
        }

        locations?.Sort(static (a, b) =>
        {
            var byFile = string.CompareOrdinal(a.SourceTree?.FilePath, b.SourceTree?.FilePath);
            return byFile != 0 ? byFile : a.SourceSpan.Start.CompareTo(b.SourceSpan.Start);
        });
        return locations;
    }

    // What the DMA001 fix needs to know (DiagnosticProperties and BufferFindings' keys): the line size used, the
    // findings, and the structs that root the mapped access paths.
    private static ImmutableDictionary<string, string?> FixProperties(BufferFindings problems, BufferMapping[] risky, int lineSize)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var line = lineSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        problems.AddProperties(properties, line);
        properties[DiagnosticProperties.DmaMinAlign] = line;
        List<string>? roots = null;
        foreach (var mapping in risky)
        {
            if (mapping.Fields[0].ContainingType?.OriginalDefinition is { } root
                && DocumentationCommentId.CreateDeclarationId(root) is { } id
                && !(roots ??= new List<string>()).Contains(id))
            {
                roots.Add(id);
            }
        }

        if (roots is not null)
        {
            roots.Sort(StringComparer.Ordinal);
            properties[DiagnosticProperties.RootTypes] = string.Join(";", roots);
        }

        return properties.ToImmutable();
    }

    // Another field the device reads or writes: [DmaBuffer], or mapped somewhere in this compilation.
    private bool IsDmaBuffer(IFieldSymbol field) =>
        _declared.ContainsKey(field.OriginalDefinition) || _mappings.ContainsKey(field.OriginalDefinition);

    // A pointer, handle, reference or span field points at memory elsewhere: its own bytes are never mapped.
    private static bool IsHandleToOtherMemory(IFieldSymbol field) =>
        !field.IsFixedSizeBuffer &&
        (field.Type.IsReferenceType || DmaSymbols.IsPointerLike(field.Type) || field.RefKind != RefKind.None);
}
