using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Mapping;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// Decides, body by body, which of a tree's candidate calls syntax and symbol lookups on the shared semantic model
/// settle without an operation tree: <c>GetOperation</c> makes the model keep the member's whole operation tree and a
/// syntax-to-operation map, which on a large project costs more in GC than the rest of DmaSafe. A method, constructor or
/// accessor body is decided here only when every candidate in it is: its sink calls resolve and match their
/// arguments positionally, every sink argument has a shape <see cref="SyntaxAccessTrace"/> follows, and every map
/// result is checked by the next statement (<see cref="SyntaxMappingCheck"/>). Any doubt sends the whole body to the
/// operation path, unchanged.
/// </summary>
internal static class SyntaxBlocks
{
    /// <summary>A body decided from syntax.</summary>
    public sealed class Decided
    {
        public Decided(ISymbol? owner, bool hasMapCall, ImmutableArray<SinkUse> uses, int firstCandidateStart)
        {
            Owner = owner;
            HasMapCall = hasMapCall;
            Uses = uses;
            FirstCandidateStart = firstCandidateStart;
        }

        public ISymbol? Owner { get; }

        public bool HasMapCall { get; }

        public ImmutableArray<SinkUse> Uses { get; }

        public int FirstCandidateStart { get; }
    }

    /// <summary>The bodies syntax decides; the candidates of every other body go to <paramref name="rest"/>, in order.</summary>
    /// <param name="text">The tree's text, as the caller's text search already read it.</param>
    public static List<Decided> Decide(SemanticModel model, DmaSymbols symbols, string text, List<CodeBlockScan.Candidate> candidates, List<CodeBlockScan.Candidate> rest, CancellationToken cancellation)
    {
        var groups = new List<Group>();
        var byMember = new Dictionary<SyntaxNode, Group>();
        foreach (var candidate in candidates)
        {
            var member = MemberOf(candidate.Node, out var nested);
            if (member is null)
            {
                rest.Add(candidate);
                continue;
            }

            if (!byMember.TryGetValue(member, out var group))
            {
                byMember[member] = group = new Group(member);
                groups.Add(group);
            }

            group.Candidates.Add(candidate);
            group.Undecidable |= nested;
        }

        var decided = new List<Decided>();
        foreach (var group in groups)
        {
            if (!group.Undecidable && TryDecide(model, symbols, text, group, cancellation) is { } block)
            {
                decided.Add(block);
            }
            else
            {
                rest.AddRange(group.Candidates);
            }
        }

        if (rest.Count > 1)
        {
            // Back in source order, as the operation path's roots are found.
            rest.Sort((a, b) => a.Node.SpanStart.CompareTo(b.Node.SpanStart));
        }

        return decided;
    }

    private static Decided? TryDecide(SemanticModel model, DmaSymbols symbols, string text, Group group, CancellationToken cancellation)
    {
        var member = group.Member;
        if (UnnamedCalls.In(member, text))
        {
            // A call through a parenthesized or computed callee is invisible to the scan but not to the operation path.
            return null;
        }

        var mayCallSink = false;
        var hasMapCall = false;
        foreach (var candidate in group.Candidates)
        {
            mayCallSink |= candidate.MayBeSink;
            hasMapCall |= candidate.IsMap;
        }

        var trace = new SyntaxAccessTrace(model, symbols, member, cancellation, text);
        // Sized for one sink argument per candidate, the usual case, so the array is handed over without a copy.
        var uses = ImmutableArray.CreateBuilder<SinkUse>(mayCallSink ? group.Candidates.Count : 0);
        foreach (var candidate in group.Candidates)
        {
            var node = candidate.Node;
            if (node is not (InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax)
                || model.GetSymbolInfo(node, cancellation).Symbol is not IMethodSymbol method)
            {
                return null;
            }

            if (candidate.IsMap && node is InvocationExpressionSyntax map
                && (symbols.IsMapSingle(method) || symbols.IsMapSg(method))
                && !SyntaxMappingCheck.IsCheckedByTheNextStatement(model, symbols, map, symbols.IsMapSg(method), cancellation))
            {
                return null;
            }

            if (mayCallSink && !TryAddSinkUses(model, symbols, trace, node, method, uses, cancellation))
            {
                return null;
            }
        }

        return new Decided(model.GetDeclaredSymbol(member, cancellation), hasMapCall, uses.Count == uses.Capacity ? uses.MoveToImmutable() : uses.ToImmutable(), group.Candidates[0].Node.SpanStart);
    }

    private static bool TryAddSinkUses(
        SemanticModel model, DmaSymbols symbols, SyntaxAccessTrace trace, SyntaxNode call, IMethodSymbol method, ImmutableArray<SinkUse>.Builder uses, CancellationToken cancellation)
    {
        if (method.MethodKind == MethodKind.ReducedExtension || method.ReducedFrom is not null)
        {
            // The operation names the extension method as declared (the receiver is its first argument); the
            // reduced symbol's parameters do not say which argument is a sink.
            return false;
        }

        var ordinals = symbols.SinkParameterOrdinals(method);
        if (ordinals.IsEmpty)
        {
            return true;
        }

        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor))
        {
            return false;
        }

        var list = call switch
        {
            InvocationExpressionSyntax invocation => invocation.ArgumentList,
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
            _ => null,
        };
        if (SyntaxCallArguments.Match(list, method) is not { } matched
            || !TryGetDirection(model, symbols, method, matched, cancellation, out var direction))
        {
            return false;
        }

        for (var i = 0; i < matched.Length; i++)
        {
            var parameter = method.Parameters[i];
            if (!ordinals.Contains(parameter.Ordinal))
            {
                continue;
            }

            if (matched[i] is not { } argument)
            {
                // An omitted sink argument (its default) is traced by the operation path.
                return false;
            }

            var path = parameter.RefKind == RefKind.None ? trace.TraceAddress(argument.Expression) : trace.TraceStorage(argument.Expression);
            if (path is null)
            {
                return false;
            }

            uses.Add(new SinkUse(call, method, parameter, argument, path, direction));
        }

        return true;
    }

    /// <summary>The call's constant DmaDirection, read as the operation path reads it (the first direction argument with a constant).</summary>
    private static bool TryGetDirection(
        SemanticModel model, DmaSymbols symbols, IMethodSymbol method, ImmutableArray<ArgumentSyntax?> matched, CancellationToken cancellation, out MappedDirection? direction)
    {
        direction = null;
        for (var i = 0; i < matched.Length; i++)
        {
            var parameter = method.Parameters[i];
            if (!symbols.IsDirection(parameter.Type))
            {
                continue;
            }

            if (!SyntaxCallArguments.TryGetConstant(model, matched[i], parameter, cancellation, out var constant))
            {
                return false;
            }

            if (constant is { HasValue: true, Value: { } value })
            {
                direction = value is int number && number is >= 0 and <= 3 ? (MappedDirection)number : null;
                return true;
            }
        }

        return true;
    }

    /// <summary>
    /// The method, constructor or accessor whose body holds <paramref name="node"/>; <paramref name="nested"/> when the
    /// node is inside a lambda, local function, query or constructor initializer there. Null for any other code
    /// (initializers, expression-bodied properties, top-level statements, operators): the operation path's.
    /// </summary>
    private static SyntaxNode? MemberOf(SyntaxNode node, out bool nested)
    {
        nested = false;
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or QueryExpressionSyntax or ConstructorInitializerSyntax:
                    nested = true;
                    break;
                case MethodDeclarationSyntax or ConstructorDeclarationSyntax or AccessorDeclarationSyntax:
                    return current;
                case MemberDeclarationSyntax or GlobalStatementSyntax or AttributeSyntax or ParameterSyntax:
                    return null;
            }
        }

        return null;
    }

    private sealed class Group
    {
        public Group(SyntaxNode member) => Member = member;

        public SyntaxNode Member { get; }

        public List<CodeBlockScan.Candidate> Candidates { get; } = new();

        public bool Undecidable { get; set; }
    }
}
