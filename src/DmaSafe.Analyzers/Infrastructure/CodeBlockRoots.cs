using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// The operation roots (a method, accessor or constructor body, an initializer: what an operation-block action would
/// have been given) that hold the candidate calls of a tree, bound only for the bodies that need them. Each root is
/// returned once, with every operation under it, lambdas and local functions included.
/// </summary>
internal static class CodeBlockRoots
{
    /// <summary>A root and what its candidates may be.</summary>
    public sealed class Root
    {
        public Root(IOperation operation, int firstCandidateStart)
        {
            Operation = operation;
            FirstCandidateStart = firstCandidateStart;
        }

        public IOperation Operation { get; }

        /// <summary>Where the first candidate that led to this root starts (roots come in that order).</summary>
        public int FirstCandidateStart { get; }

        public bool MayCallSink { get; set; }

        public bool HasMapCall { get; set; }
    }

    public static List<Root> Of(SemanticModel model, List<CodeBlockScan.Candidate> candidates, CancellationToken cancellation)
    {
        var roots = new List<Root>();
        foreach (var candidate in candidates)
        {
            var root = Containing(candidate.Node, roots) ?? Bind(model, candidate.Node, roots, cancellation);
            if (root is not null)
            {
                root.MayCallSink |= candidate.MayBeSink;
                root.HasMapCall |= candidate.IsMap;
            }
        }

        return roots;
    }

    private static Root? Bind(SemanticModel model, SyntaxNode node, List<Root> roots, CancellationToken cancellation)
    {
        // Binding the node binds the body around it (the shared semantic model keeps it, and reuses what the compiler
        // bound); the root is where the parent chain ends.
        if (model.GetOperation(node, cancellation) is not { } operation)
        {
            return null;
        }

        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        foreach (var known in roots)
        {
            if (ReferenceEquals(known.Operation, operation))
            {
                return known;
            }
        }

        var root = new Root(operation, node.SpanStart);
        roots.Add(root);
        return root;
    }

    private static Root? Containing(SyntaxNode node, List<Root> roots)
    {
        foreach (var root in roots)
        {
            // A top-level program or a primary constructor spans declarations that are roots of their own: bind to know.
            var syntax = root.Operation.Syntax;
            if (syntax is not (CompilationUnitSyntax or BaseTypeDeclarationSyntax) && syntax.Span.Contains(node.Span))
            {
                return root;
            }
        }

        return null;
    }
}
