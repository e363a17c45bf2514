using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Layout;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Tests.CodeFixes.Contract;

/// <summary>
/// DMA001 as issue 4 states it for layouts, computed with the real layout engine, so the DMA001 fix can be tested
/// while (and after) the rule itself is built: for every top-level source struct (one no other source struct embeds),
/// every [DmaBuffer] field reachable in it by value must start on a line with no other field's bytes in its lines,
/// and the struct must be [DmaAligned]. Reported on the buffer's declaration; when the root is an enclosing struct,
/// <see cref="DiagnosticProperties.RootTypes"/> names it. [DmaBounceOk] silences it. Not the shipped rule: no sinks,
/// no ToDevice exemption.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LayoutContractAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDescriptors.Dma001);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (DmaSymbols.TryCreate(start.Compilation, start.Options) is { } symbols)
            {
                start.RegisterSymbolAction(symbol => Analyze(symbol, symbols), SymbolKind.NamedType);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, DmaSymbols symbols)
    {

        var structs = AllTypes(context.Compilation.Assembly.GlobalNamespace).Where(t => t.TypeKind == TypeKind.Struct && !t.IsGenericType).ToList();
        var embedded = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in structs)
        {
            foreach (var field in type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic))
            {
                if (field.Type is INamedTypeSymbol { TypeKind: TypeKind.Struct } nested)
                {
                    embedded.Add(nested);
                }
            }
        }

        var engine = new StructLayoutEngine(context.Compilation);
        var reported = new HashSet<(IFieldSymbol, INamedTypeSymbol)>();
        // Reported while analysing the buffer's own struct, so each diagnostic is local to the symbol that declares it.
        foreach (var root in structs.Where(s => !embedded.Contains(s)))
        {
            var layout = engine.GetLayout(root);
            if (!layout.IsKnown)
            {
                continue;
            }

            var line = symbols.Options.DmaMinAlign(root.Locations[0].SourceTree);
            var leaves = new List<(long Start, long End, FieldLayout Field)>();
            Flatten(layout, 0, leaves, symbols);
            foreach (var (start, end, field) in leaves.Where(l => symbols.IsDmaBuffer(l.Field.Field)))
            {
                var buffer = field.Field;
                if (!SymbolEqualityComparer.Default.Equals(buffer.ContainingType, context.Symbol)
                    || symbols.IsBounceOk(buffer) || !buffer.Locations[0].IsInSource || !reported.Add((buffer, root)))
                {
                    continue;
                }

                var linesEnd = LayoutMath.AlignUp(end, line);
                var shared = start % line != 0 || linesEnd > layout.Size
                    || leaves.Any(other => !ReferenceEquals(other.Field, field) && other.End > other.Start && LayoutMath.Overlaps(other.Start, other.End, start, linesEnd));
                if (!shared && symbols.IsDmaAligned(root))
                {
                    continue;
                }

                var properties = SymbolEqualityComparer.Default.Equals(buffer.ContainingType, root)
                    ? ImmutableDictionary<string, string?>.Empty
                    : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.RootTypes, DocumentationCommentId.CreateDeclarationId(root));
                context.ReportDiagnostic(Diagnostic.Create(ContractDescriptors.Dma001, buffer.Locations[0], properties, buffer.Name));
            }
        }
    }

    private static void Flatten(TypeLayout layout, long baseOffset, List<(long, long, FieldLayout)> leaves, DmaSymbols symbols)
    {
        foreach (var field in layout.Fields)
        {
            var start = baseOffset + field.Offset;
            if (!symbols.IsDmaBuffer(field.Field) && field.FieldTypeLayout is { IsStructWithFields: true } nested && nested.Fields.Length > 0)
            {
                Flatten(nested, start, leaves, symbols);
            }
            else
            {
                leaves.Add((start, start + field.Size, field));
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                foreach (var type in AllTypes(ns))
                {
                    yield return type;
                }
            }
            else if (member is INamedTypeSymbol type)
            {
                yield return type;
                foreach (var nested in AllTypes(type))
                {
                    yield return nested;
                }
            }
        }
    }
}
