using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Layout;
using DmaSafe.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// DMA001's main fix for one document: every flagged buffer (and every buffer of the same structs that is safe
/// already) gets cache lines of its own, each struct on the access path from a root down to the buffer puts the
/// nested struct on a line, and each root is marked <c>[DmaAligned]</c>. Structs are rewritten innermost first,
/// each against a fresh compilation, and the result is checked with the layout engine; when anything cannot be
/// done exactly, the document is returned unchanged and no fix is offered.
/// </summary>
internal static class BufferOwnLinesFix
{
    public static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken) =>
        (await TryApplyAsync(document, diagnostics, cancellationToken).ConfigureAwait(false)).Document;

    /// <summary>The fixed document, or the original one and why the fix cannot be made exactly.</summary>
    internal static async Task<(Document Document, string? Refusal)> TryApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var request = await CollectAsync(document, diagnostics, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return (document, "no flagged instance field of a struct declared in this document");
        }

        var original = document;
        var errorsBefore = await CountErrorsAsync(document, cancellationToken).ConfigureAwait(false);
        var finalProtection = new Dictionary<string, HashSet<string>>();
        foreach (var structId in request.Order)
        {
            var (next, protectedFields, refusal) = await RewriteStructAsync(document, structId, request.Protected[structId], request.Line, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return (original, $"{structId}: {refusal}");
            }

            document = next;
            finalProtection[structId] = protectedFields;
        }

        document = await MarkRootsAsync(document, request.Roots, cancellationToken).ConfigureAwait(false);
        document = await DocumentCleanup.RunAsync(document, cancellationToken).ConfigureAwait(false);

        var errorsAfter = await CountErrorsAsync(document, cancellationToken).ConfigureAwait(false);
        if (errorsAfter > errorsBefore)
        {
            return (original, $"the rewritten code has {errorsAfter} compiler errors, the original {errorsBefore}");
        }

        var failure = await VerifyAsync(document, finalProtection, request.Roots, request.Line, cancellationToken).ConfigureAwait(false);
        return failure is null ? (document, null) : (original, failure);
    }

    private sealed class Request
    {
        public Request(int line, Dictionary<string, HashSet<string>> protectedFields, List<string> order, HashSet<string> roots)
        {
            Line = line;
            Protected = protectedFields;
            Order = order;
            Roots = roots;
        }

        public int Line { get; }

        /// <summary>Per struct (documentation-comment ID): metadata names of the fields that must own their lines.</summary>
        public Dictionary<string, HashSet<string>> Protected { get; }

        /// <summary>The structs in rewrite order: a struct after every struct it embeds on a protected path.</summary>
        public List<string> Order { get; }

        public HashSet<string> Roots { get; }
    }

    private static async Task<Request?> CollectAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || document.Project.CompilationOptions is not CSharpCompilationOptions)
        {
            return null;
        }

        var symbols = DmaSymbols.TryCreate(model.Compilation, document.Project.AnalyzerOptions);
        var line = 0;
        var protectedFields = new Dictionary<string, HashSet<string>>();
        var types = new Dictionary<string, INamedTypeSymbol>();
        var roots = new HashSet<string>();
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree)
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var declarator = node.AncestorsAndSelf().OfType<VariableDeclaratorSyntax>().FirstOrDefault();
            if (declarator is null || model.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol { IsStatic: false } field
                || field.ContainingType is not { TypeKind: TypeKind.Struct } owner)
            {
                continue;
            }

            line = line != 0 ? line : LineFor(diagnostic, symbols, root.SyntaxTree);
            var ownerId = IdOf(owner);
            types[ownerId] = owner;
            Add(protectedFields, ownerId, field.Name);

            var diagnosticRoots = RootsOf(diagnostic, model.Compilation, owner);
            foreach (var diagnosticRoot in diagnosticRoots)
            {
                var rootId = IdOf(diagnosticRoot);
                if (!IsDeclaredOnlyIn(diagnosticRoot, root.SyntaxTree))
                {
                    continue;
                }

                roots.Add(rootId);
                types[rootId] = diagnosticRoot;
                AddPath(diagnosticRoot, owner, protectedFields, types, root.SyntaxTree);
            }
        }

        if (line == 0 || protectedFields.Count == 0)
        {
            return null;
        }

        var order = OrderInnermostFirst(protectedFields, types);
        return order is null ? null : new Request(line, protectedFields, order, roots);
    }

    private static int LineFor(Diagnostic diagnostic, DmaSymbols? symbols, SyntaxTree tree)
    {
        if (diagnostic.Properties.TryGetValue(DiagnosticProperties.DmaMinAlign, out var raw)
            && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var fromRule)
            && fromRule > 0 && (fromRule & (fromRule - 1)) == 0)
        {
            return fromRule;
        }

        return symbols?.Options.DmaMinAlign(tree) ?? DmaOptions.DefaultDmaMinAlign;
    }

    private static IEnumerable<INamedTypeSymbol> RootsOf(Diagnostic diagnostic, Compilation compilation, INamedTypeSymbol owner)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.RootTypes, out var raw) || string.IsNullOrWhiteSpace(raw))
        {
            return new[] { owner };
        }

        var result = new List<INamedTypeSymbol>();
        foreach (var id in raw!.Split(';'))
        {
            if (DocumentationCommentId.GetFirstSymbolForDeclarationId(id.Trim(), compilation) is INamedTypeSymbol { TypeKind: TypeKind.Struct } type)
            {
                result.Add(type);
            }
        }

        return result.Count > 0 ? result : new[] { owner };
    }

    // Every struct field on a path from 'from' down to 'target' is protected: the nested struct must sit on a line.
    private static void AddPath(INamedTypeSymbol from, INamedTypeSymbol target, Dictionary<string, HashSet<string>> protectedFields, Dictionary<string, INamedTypeSymbol> types, SyntaxTree tree)
    {
        var reaches = new Dictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
        var pending = new Stack<INamedTypeSymbol>();
        var visited = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        pending.Push(from);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!visited.Add(current) || SymbolEqualityComparer.Default.Equals(current, target))
            {
                continue;
            }

            foreach (var field in InstanceFields(current))
            {
                if (field.Type is INamedTypeSymbol { TypeKind: TypeKind.Struct } fieldType && Reaches(fieldType, target, reaches, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default)))
                {
                    if (IsDeclaredOnlyIn(current, tree))
                    {
                        var id = IdOf(current);
                        types[id] = current;
                        Add(protectedFields, id, field.Name);
                    }

                    pending.Push(fieldType);
                }
            }
        }
    }

    private static bool Reaches(INamedTypeSymbol type, INamedTypeSymbol target, Dictionary<ITypeSymbol, bool> memo, HashSet<ITypeSymbol> onStack)
    {
        if (SymbolEqualityComparer.Default.Equals(type, target))
        {
            return true;
        }

        if (memo.TryGetValue(type, out var known))
        {
            return known;
        }

        if (!onStack.Add(type))
        {
            return false;
        }

        var result = InstanceFields(type).Any(f => f.Type is INamedTypeSymbol { TypeKind: TypeKind.Struct } t && Reaches(t, target, memo, onStack));
        memo[type] = result;
        return result;
    }

    private static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst);

    private static List<string>? OrderInnermostFirst(Dictionary<string, HashSet<string>> protectedFields, Dictionary<string, INamedTypeSymbol> types)
    {
        var order = new List<string>();
        var remaining = new HashSet<string>(protectedFields.Keys);
        while (remaining.Count > 0)
        {
            var next = remaining.OrderBy(id => id, System.StringComparer.Ordinal).FirstOrDefault(id => !DependsOnAny(types[id], protectedFields[id], remaining, id));
            if (next is null)
            {
                return null;
            }

            order.Add(next);
            remaining.Remove(next);
        }

        return order;
    }

    private static bool DependsOnAny(INamedTypeSymbol type, HashSet<string> fields, HashSet<string> remaining, string self) =>
        InstanceFields(type).Any(f => fields.Contains(f.Name) && f.Type is INamedTypeSymbol nested && IdOf(nested) is var id && id != self && remaining.Contains(id));

    private static async Task<(Document Document, HashSet<string> Protected, string? Refusal)> RewriteStructAsync(
        Document document, string structId, HashSet<string> requested, int line, CancellationToken cancellationToken)
    {
        (Document, HashSet<string>, string?) Refuse(string reason) => (document, requested, reason);

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || DocumentationCommentId.GetFirstSymbolForDeclarationId(structId, model.Compilation) is not INamedTypeSymbol type
            || !IsDeclaredOnlyIn(type, root.SyntaxTree)
            || type.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
        {
            return Refuse("the struct is not declared once, in this document");
        }

        var symbols = DmaSymbols.TryCreate(model.Compilation, document.Project.AnalyzerOptions);
        var layout = new StructLayoutEngine(model.Compilation).GetLayout(type);
        if (!layout.IsKnown || layout.Rule is not (LayoutRule.Sequential or LayoutRule.Explicit))
        {
            return Refuse(layout.UnknownReason ?? $"a {layout.Rule} layout cannot be padded");
        }

        var protectedFields = new HashSet<string>(requested);
        foreach (var field in layout.Fields)
        {
            if (symbols is not null && StaysProtected(field, layout, line, symbols))
            {
                protectedFields.Add(field.Field.Name);
            }
        }

        var fieldNames = layout.Fields.Select(f => f.Field.Name).ToList();
        if (!protectedFields.All(fieldNames.Contains) || !StructRewriter.DeclaresAll(declaration, fieldNames))
        {
            return Refuse("some fields are not declared as field or auto-property members (positional record parameters?)");
        }

        // A struct whose protected fields own their lines already (a nested struct that is fine, a second fix) stays as written.
        if (layout.Size % line == 0 && layout.Fields.Where(f => protectedFields.Contains(f.Field.Name)).All(f => LineOwnership.OwnsLines(layout, f, line)))
        {
            return (document, protectedFields, null);
        }

        if (type.IsGenericType)
        {
            return Refuse("a generic struct cannot have an explicit layout (the runtime refuses to load it)");
        }

        if (LayoutPlanner.PlanExplicit(layout, protectedFields, line) is not { } plan)
        {
            return Refuse("a field overlaps a DMA buffer's bytes (a union with the buffer cannot be given lines of its own)");
        }

        var displayNames = layout.Fields.Where(f => protectedFields.Contains(f.Field.Name)).Select(f => f.Name).ToList();
        var rewritten = new StructRewriter(model, line).Apply(declaration, plan, displayNames);
        return (document.WithSyntaxRoot(root.ReplaceNode(declaration, rewritten)), protectedFields, null);
    }

    // Buffers that own their lines already, and nested structs holding buffers that sit on a line, must stay so
    // when fields before them move.
    private static bool StaysProtected(FieldLayout field, TypeLayout layout, int line, DmaSymbols symbols)
    {
        if (symbols.IsDmaBuffer(field.Field))
        {
            return LineOwnership.OwnsLines(layout, field, line);
        }

        return field.FieldTypeLayout is { IsStructWithFields: true } nested && field.Offset % line == 0 && HoldsBuffer(nested, symbols, 0);
    }

    private static bool HoldsBuffer(TypeLayout layout, DmaSymbols symbols, int depth) =>
        depth < 16 && layout.Fields.Any(f => symbols.IsDmaBuffer(f.Field) || (f.FieldTypeLayout is { IsStructWithFields: true } nested && HoldsBuffer(nested, symbols, depth + 1)));

    private static async Task<Document> MarkRootsAsync(Document document, HashSet<string> roots, CancellationToken cancellationToken)
    {
        foreach (var rootId in roots.OrderBy(id => id, System.StringComparer.Ordinal))
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null
                || DocumentationCommentId.GetFirstSymbolForDeclarationId(rootId, model.Compilation) is not INamedTypeSymbol type
                || !IsDeclaredOnlyIn(type, root.SyntaxTree)
                || type.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            var symbols = DmaSymbols.TryCreate(model.Compilation, document.Project.AnalyzerOptions);
            if (symbols is not null && symbols.IsDmaAligned(type))
            {
                continue;
            }

            var marked = (TypeDeclarationSyntax)AttributeAdder.Add(declaration, SyntaxFactory.Attribute(Names.DmaSafe("DmaAligned")));
            document = document.WithSyntaxRoot(root.ReplaceNode(declaration, marked));
        }

        return document;
    }

    // Null when every protected field owns its lines in the rewritten code and every root is [DmaAligned]; else what is wrong.
    private static async Task<string?> VerifyAsync(Document document, Dictionary<string, HashSet<string>> protection, HashSet<string> roots, int line, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return "no semantic model for the rewritten document";
        }

        var engine = new StructLayoutEngine(model.Compilation);
        var symbols = DmaSymbols.TryCreate(model.Compilation, document.Project.AnalyzerOptions);
        foreach (var pair in protection)
        {
            if (DocumentationCommentId.GetFirstSymbolForDeclarationId(pair.Key, model.Compilation) is not INamedTypeSymbol type)
            {
                return $"{pair.Key} is gone from the rewritten code";
            }

            var layout = engine.GetLayout(type);
            if (!layout.IsKnown || layout.Size % line != 0)
            {
                return $"{pair.Key} has size {layout.Size}, not a multiple of {line} ({layout.UnknownReason})";
            }

            foreach (var name in pair.Value)
            {
                if (layout.Fields.FirstOrDefault(f => f.Field.Name == name) is not { } field || !LineOwnership.OwnsLines(layout, field, line))
                {
                    return $"{pair.Key}: '{name}' still shares a {line}-byte line after the rewrite";
                }
            }
        }

        foreach (var rootId in roots)
        {
            if (DocumentationCommentId.GetFirstSymbolForDeclarationId(rootId, model.Compilation) is not INamedTypeSymbol root
                || symbols is null || !symbols.IsDmaAligned(root))
            {
                return $"{rootId} is not [DmaAligned] after the rewrite";
            }
        }

        return null;
    }

    private static async Task<int> CountErrorsAsync(Document document, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model?.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error) ?? int.MaxValue;
    }

    private static bool IsDeclaredOnlyIn(INamedTypeSymbol type, SyntaxTree tree) =>
        type.DeclaringSyntaxReferences.Length == 1 && type.DeclaringSyntaxReferences[0].SyntaxTree == tree;

    private static string IdOf(INamedTypeSymbol type) => DocumentationCommentId.CreateDeclarationId(type.OriginalDefinition);

    private static void Add(Dictionary<string, HashSet<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var set))
        {
            set = new HashSet<string>();
            map[key] = set;
        }

        set.Add(value);
    }
}
