using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Profiles;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Rules;

/// <summary>
/// DMA004: the data-driven nudge. Reads the runtime's <c>*.dmabounces.json</c> AdditionalFiles and reports each
/// recorded allocation site and map site found in this compilation, with the bounce count and bytes. A site is the
/// call at the recorded line that received caller information ([CallerLineNumber] left to the compiler), whose enclosing
/// member matches the recorded one: allocation sites are calls returning a pointer, map sites calls returning a
/// DmaAddress or MapSg. Unreadable profiles are DMA900's business; they contribute nothing here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BounceHotSpotAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BounceHotSpotAllocation, Descriptors.BounceHotSpotMap);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeFilter.Flags);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = DmaSymbols.TryCreate(start.Compilation, start.Options);
            if (symbols is null)
            {
                return;
            }

            var profiles = new List<BounceProfileFile>();
            var siteCount = 0;
            foreach (var file in start.Options.AdditionalFiles)
            {
                if (BounceProfileFile.IsProfilePath(file.Path) && file.GetText(start.CancellationToken) is { } text)
                {
                    var profile = BounceProfileFile.Get(file.Path, text);
                    profiles.Add(profile);
                    siteCount += profile.Sites.Length;
                }
            }

            if (siteCount == 0)
            {
                return;
            }

            var index = ProfileIndex.Of(profiles);

            // [DmaBounceOk] on the mapped memory is read from the sink uses the block rules trace anyway (SharedTrees),
            // so this rule builds no operation tree of its own. Without the attribute in the compilation it needs none.
            var trees = symbols.DmaBounceOkAttributes.IsEmpty ? null : symbols.Trees;
            trees?.AddConsumer();

            // Per tree rather than per invocation: most trees hold no recorded site and cost one lookup.
            start.RegisterSemanticModelAction(context =>
            {
                if (context.IsGeneratedCode || index.ForTree(context.SemanticModel.SyntaxTree) is null)
                {
                    trees?.Release(context.SemanticModel.SyntaxTree);
                    return;
                }

                AnalyzeRecordedTree(context, symbols, index, trees);
            });
        });
    }

    // Apart from the registered action, so trees without a recorded site allocate no closure.
    private static void AnalyzeRecordedTree(SemanticModelAnalysisContext context, DmaSymbols symbols, ProfileIndex index, SharedTrees? trees)
    {
        var read = false;
        AnalyzeTree(context.SemanticModel, symbols.Generated.Filtering(context.ReportDiagnostic, context.CancellationToken), symbols, index, () =>
        {
            read = true;
            return trees!.Get(context);
        }, context.CancellationToken);

        if (trees is not null && !read)
        {
            trees.Release(context.SemanticModel.SyntaxTree);
        }
    }

    /// <summary>
    /// Reports the recorded sites of one tree. <paramref name="blocksOfTree"/> gives the tree's traced blocks; it is
    /// called (at most once) only when a recorded map site must be checked for [DmaBounceOk] memory.
    /// </summary>
    internal static void AnalyzeTree(
        SemanticModel model,
        System.Action<Diagnostic> report,
        DmaSymbols symbols,
        ProfileIndex index,
        System.Func<ImmutableArray<CodeBlockFindings>> blocksOfTree,
        CancellationToken cancellation)
    {
        var tree = model.SyntaxTree;
        var lines = index.ForTree(tree);
        if (lines is null)
        {
            return;
        }

        var text = tree.GetText(cancellation);
        var root = tree.GetRoot(cancellation);
        var seen = new HashSet<InvocationExpressionSyntax>();
        ImmutableArray<CodeBlockFindings>? blocks = null;
        foreach (var line in lines.Keys)
        {
            if (line < 1 || line > text.Lines.Count)
            {
                continue;
            }

            var span = text.Lines[line - 1].Span;
            foreach (var node in root.DescendantNodes(span))
            {
                if (node is not InvocationExpressionSyntax call || !call.Span.IntersectsWith(span) || !seen.Add(call)
                    || model.GetSymbolInfo(call, cancellation).Symbol is not IMethodSymbol method
                    || !CallerLineArgument.IsDeclared(method))
                {
                    continue;
                }

                var isAllocation = method.ReturnType is { TypeKind: TypeKind.Pointer };
                var isMap = symbols.IsDmaAddress(method.ReturnType) || symbols.IsMapSg(method) || symbols.IsMapSg(method.ReducedFrom);
                if ((!isAllocation && !isMap) || !CallerLineArgument.IsLeftToCompiler(call, method))
                {
                    continue;
                }

                var containingSymbol = model.GetEnclosingSymbol(call.SpanStart, cancellation);
                var matches = Matches(call.GetLocation().GetLineSpan(), CallerMemberName(containingSymbol), isAllocation, lines);
                if (matches.Count == 0 || symbols.IsBounceOk(containingSymbol))
                {
                    continue;
                }

                // Without [DmaBounceOk] in the compilation nothing can be accepted (and no shared trees were asked for).
                var bounceOk = !symbols.DmaBounceOkAttributes.IsEmpty
                    && (isAllocation
                        ? symbols.IsStoredInBounceOkField(model, call, cancellation)
                        : MapsBounceOkMemory(call, blocks ??= blocksOfTree(), symbols));
                if (!bounceOk)
                {
                    Report(report, call, isAllocation, matches);
                }
            }
        }
    }

    /// <summary>The rows on the call's lines recorded for its role and its enclosing member.</summary>
    private static List<SiteAtLine> Matches(FileLinePositionSpan span, string member, bool isAllocation, Dictionary<int, List<SiteAtLine>> lines)
    {
        var matches = new List<SiteAtLine>();
        for (var line = span.StartLinePosition.Line + 1; line <= span.EndLinePosition.Line + 1; line++)
        {
            if (!lines.TryGetValue(line, out var atLine))
            {
                continue;
            }

            foreach (var entry in atLine)
            {
                if (entry.IsAllocation == isAllocation
                    && (entry.Here.Member.Length == 0 || entry.Here.Member == member))
                {
                    matches.Add(entry);
                }
            }
        }

        return matches;
    }

    private static void Report(System.Action<Diagnostic> report, InvocationExpressionSyntax call, bool isAllocation, List<SiteAtLine> matches)
    {
        var count = matches.Sum(entry => entry.Site.Count);
        var bytes = matches.Sum(entry => entry.Site.Bytes);
        var profiles = string.Join(", ", matches.Select(entry => entry.Site.ProfileName).Distinct().OrderBy(name => name, System.StringComparer.Ordinal));
        var others = matches.GroupBy(entry => entry.Other.ToString())
            .Select(group => new { Place = group.Key, Count = group.Sum(entry => entry.Site.Count) })
            .OrderByDescending(other => other.Count)
            .ThenBy(other => other.Place, System.StringComparer.Ordinal)
            .ToList();
        var otherText = others[0].Place + (others.Count > 1 ? " and " + Describe.Number(others.Count - 1) + " more" : string.Empty);

        report(Diagnostic.Create(
            isAllocation ? Descriptors.BounceHotSpotAllocation : Descriptors.BounceHotSpotMap,
            call.GetLocation(),
            Describe.Number(count),
            Describe.Number(bytes),
            profiles,
            otherText));
    }

    /// <summary>
    /// [DmaBounceOk] on the memory a map call maps: on any field (or its struct) of the path of its sink argument, as
    /// traced for the block rules. A call is found by its span (a syntax node may be re-created between readers).
    /// </summary>
    private static bool MapsBounceOkMemory(InvocationExpressionSyntax call, ImmutableArray<CodeBlockFindings> blocks, DmaSymbols symbols)
    {
        foreach (var block in blocks)
        {
            foreach (var use in block.SinkUses)
            {
                if (use.Call.Span != call.Span || use.Call.RawKind != call.RawKind)
                {
                    continue;
                }

                if (use.Path.RootSymbol is IFieldSymbol rootField && symbols.IsBounceOk(rootField))
                {
                    return true;
                }

                foreach (var field in use.Path.Fields)
                {
                    if (symbols.IsBounceOk(field))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>What [CallerMemberName] gives inside <paramref name="symbol"/>: the enclosing member's metadata name.</summary>
    private static string CallerMemberName(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction or MethodKind.LambdaMethod })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol switch
        {
            IMethodSymbol { AssociatedSymbol: { } associated } => associated.MetadataName,
            null => string.Empty,
            _ => symbol.MetadataName,
        };
    }
}
