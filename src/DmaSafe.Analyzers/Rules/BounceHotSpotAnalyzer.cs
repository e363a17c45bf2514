using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Profiles;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
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

            // Per tree rather than per invocation: most trees hold no recorded site and cost one lookup; in the others
            // only the calls on recorded lines are bound to operations.
            start.RegisterSemanticModelAction(model => AnalyzeTree(model.SemanticModel, model.ReportDiagnostic, symbols, index, model.CancellationToken));
        });
    }

    /// <summary>Reports the recorded sites of one tree.</summary>
    internal static void AnalyzeTree(SemanticModel model, System.Action<Diagnostic> report, DmaSymbols symbols, ProfileIndex index, CancellationToken cancellation)
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
        foreach (var line in lines.Keys)
        {
            if (line < 1 || line > text.Lines.Count)
            {
                continue;
            }

            var span = text.Lines[line - 1].Span;
            foreach (var node in root.DescendantNodes(span))
            {
                if (node is InvocationExpressionSyntax call && call.Span.IntersectsWith(span) && seen.Add(call))
                {
                    var containingSymbol = model.GetEnclosingSymbol(call.SpanStart, cancellation);

                    // The call's symbol rules most calls out; only a recorded site gets an operation (and the trace of
                    // its memory), so most calls on a recorded line never build an operation tree.
                    if (CannotBeSite(model.GetSymbolInfo(call, cancellation).Symbol, call, containingSymbol, lines, symbols))
                    {
                        continue;
                    }

                    if (model.GetOperation(call, cancellation) is IInvocationOperation invocation)
                    {
                        AnalyzeCall(report, invocation, containingSymbol, lines, symbols);
                    }
                }
            }
        }
    }

    /// <summary>
    /// True when <paramref name="symbol"/>, the method the call binds to, already shows that <see cref="AnalyzeCall"/>
    /// would report nothing: it takes no caller line, returns neither a pointer nor a mapping, or no row of the recorded
    /// lines matches it. False when in doubt (no method symbol): the operation decides then.
    /// </summary>
    private static bool CannotBeSite(ISymbol? symbol, InvocationExpressionSyntax call, ISymbol? containingSymbol, Dictionary<int, List<SiteAtLine>> lines, DmaSymbols symbols)
    {
        if (symbol is not IMethodSymbol method)
        {
            return false;
        }

        if (!HasCallerLineParameter(method) && (method.ReducedFrom is not { } unreduced || !HasCallerLineParameter(unreduced)))
        {
            return true;
        }

        var isAllocation = method.ReturnType is { TypeKind: TypeKind.Pointer };
        var isMap = symbols.IsDmaAddress(method.ReturnType) || symbols.IsMapSg(method) || symbols.IsMapSg(method.ReducedFrom);
        if (!isAllocation && !isMap)
        {
            return true;
        }

        return Matches(call.GetLocation().GetLineSpan(), CallerMemberName(containingSymbol), isAllocation, lines).Count == 0;
    }

    private static bool HasCallerLineParameter(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (IsCallerLine(parameter))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCallerLine(IParameterSymbol parameter)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "CallerLineNumberAttribute" })
            {
                return true;
            }
        }

        return false;
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

    private static void AnalyzeCall(
        System.Action<Diagnostic> report,
        IInvocationOperation invocation,
        ISymbol? containingSymbol,
        Dictionary<int, List<SiteAtLine>> lines,
        DmaSymbols symbols)
    {
        if (!ReceivedCallerLine(invocation))
        {
            return;
        }

        var isAllocation = invocation.Type is { TypeKind: TypeKind.Pointer };
        var isMap = symbols.IsDmaAddress(invocation.Type) || symbols.IsMapSg(invocation.TargetMethod);
        if (!isAllocation && !isMap)
        {
            return;
        }

        var matches = Matches(invocation.Syntax.GetLocation().GetLineSpan(), CallerMemberName(containingSymbol), isAllocation, lines);
        if (matches.Count == 0 || symbols.IsBounceOk(containingSymbol) || IsBounceOkMemory(invocation, isAllocation, symbols))
        {
            return;
        }

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
            invocation.Syntax.GetLocation(),
            Describe.Number(count),
            Describe.Number(bytes),
            profiles,
            otherText));
    }

    /// <summary>
    /// [DmaBounceOk] on the memory itself: the field an allocation is stored in, or any field (or its struct) on the
    /// path of the buffer a map call maps.
    /// </summary>
    private static bool IsBounceOkMemory(IInvocationOperation invocation, bool isAllocation, DmaSymbols symbols)
    {
        if (symbols.DmaBounceOkAttributes.IsEmpty)
        {
            return false;
        }

        if (isAllocation)
        {
            return symbols.IsStoredInBounceOkField(invocation);
        }

        IOperation root = invocation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var flow = new Flow.SinkFlowAnalysis(symbols, ImmutableArray.Create(root));
        foreach (var use in flow.SinkUsesOf(invocation))
        {
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

        return false;
    }

    /// <summary>True when the call lets the compiler fill a [CallerLineNumber] parameter: that is what the runtime recorded.</summary>
    private static bool ReceivedCallerLine(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue && argument.Parameter is { } parameter && IsCallerLine(parameter))
            {
                return true;
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
