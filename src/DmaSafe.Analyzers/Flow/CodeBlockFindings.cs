using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// One operation block (a body or initializer) that may call a sink or map for DMA: the symbol that owns it (as an
/// operation-block action's OwningSymbol), its traced sink uses, and, when syntax could not decide it, its operation root.
/// </summary>
internal sealed class CodeBlockFindings
{
    private readonly DmaSymbols _symbols;
    private readonly bool _mayCallSink;
    private ImmutableArray<SinkUse>? _sinkUses;

    private CodeBlockFindings(DmaSymbols symbols, CodeBlockRoots.Root root, ISymbol? owner)
    {
        _symbols = symbols;
        _mayCallSink = root.MayCallSink;
        Root = root.Operation;
        HasMapCall = root.HasMapCall;
        OwningSymbol = owner;
        FirstCandidateStart = root.FirstCandidateStart;
    }

    private CodeBlockFindings(DmaSymbols symbols, SyntaxBlocks.Decided decided)
    {
        _symbols = symbols;
        _mayCallSink = true;
        _sinkUses = decided.Uses;
        Root = null;
        HasMapCall = decided.HasMapCall;
        OwningSymbol = decided.Owner;
        FirstCandidateStart = decided.FirstCandidateStart;
    }

    /// <summary>
    /// The block's operation root; null when syntax decided the block (<see cref="SyntaxBlocks"/>): its sink uses are
    /// traced and every map result in it is checked by the next statement, so DMA005 has nothing to look at.
    /// </summary>
    public IOperation? Root { get; }

    /// <summary>True when syntax and symbol lookups decided the block, without an operation tree.</summary>
    public bool DecidedBySyntax => Root is null;

    private int FirstCandidateStart { get; }

    /// <summary>The method, accessor, constructor, field or property whose code this is (null if it has none).</summary>
    public ISymbol? OwningSymbol { get; }

    /// <summary>A call named MapSingle or MapSg is in the block.</summary>
    public bool HasMapCall { get; }

    /// <summary>The sink arguments of the block's sink calls, traced (computed once, by the first rule that asks).</summary>
    public ImmutableArray<SinkUse> SinkUses
    {
        get
        {
            if (!_mayCallSink)
            {
                return ImmutableArray<SinkUse>.Empty;
            }

            lock (this)
            {
                return _sinkUses ??= Root is null ? ImmutableArray<SinkUse>.Empty : SinkFlowRegistration.CollectUses(ImmutableArray.Create(Root), _symbols);
            }
        }
    }

    /// <summary>
    /// Reads a tree: its text, then its syntax, and only where some call may be a sink or map call, symbols; the
    /// operations only of bodies that syntax cannot decide (<paramref name="syntaxPath"/> false: always the operations).
    /// </summary>
    public static ImmutableArray<CodeBlockFindings> Read(SemanticModel model, DmaSymbols symbols, CancellationToken cancellation, bool syntaxPath = true)
    {
        // Most files of a driver project call no sink at all: one text search rules them out before any syntax walk.
        var names = symbols.CallNames(cancellation);
        var tree = model.SyntaxTree;
        var text = tree.GetText(cancellation).ToString();
        if (!names.MayBeCalledIn(text))
        {
            return ImmutableArray<CodeBlockFindings>.Empty;
        }

        var candidates = CodeBlockScan.Of(tree.GetRoot(cancellation), names);
        if (candidates.Count == 0)
        {
            return ImmutableArray<CodeBlockFindings>.Empty;
        }

        var blocks = ImmutableArray.CreateBuilder<CodeBlockFindings>();
        var rest = candidates;
        if (syntaxPath)
        {
            rest = new List<CodeBlockScan.Candidate>();
            foreach (var decided in SyntaxBlocks.Decide(model, symbols, text, candidates, rest, cancellation))
            {
                blocks.Add(new CodeBlockFindings(symbols, decided));
            }
        }

        foreach (var root in CodeBlockRoots.Of(model, rest, cancellation))
        {
            blocks.Add(new CodeBlockFindings(symbols, root, OwnerOf(root.Operation, model, cancellation)));
        }

        if (syntaxPath && blocks.Count > 1)
        {
            // The order the operation path alone would give: by each block's first candidate.
            blocks.Sort((a, b) => a.FirstCandidateStart.CompareTo(b.FirstCandidateStart));
        }

        return blocks.ToImmutable();
    }

    private static ISymbol? OwnerOf(IOperation root, SemanticModel model, CancellationToken cancellation)
    {
        switch (root)
        {
            case IFieldInitializerOperation { InitializedFields.IsEmpty: false } field:
                return field.InitializedFields[0];
            case IPropertyInitializerOperation { InitializedProperties.IsEmpty: false } property:
                return property.InitializedProperties[0];
            case IParameterInitializerOperation parameter:
                return parameter.Parameter.ContainingSymbol;
        }

        // A body's root is its declaration; an expression-bodied property's is the arrow, owned by the property.
        var syntax = root.Syntax;
        var declaration = syntax is ArrowExpressionClauseSyntax { Parent: { } parent } ? parent : syntax;
        var declared = model.GetDeclaredSymbol(declaration, cancellation);

        // A primary constructor's base(...) call is rooted at the type's declaration, but its code is the constructor's
        // (where [method: DmaBounceOk] goes), as an operation-block action's owner would say.
        if (declared is INamedTypeSymbol type && declaration is TypeDeclarationSyntax { ParameterList: not null } && PrimaryConstructorOf(type, declaration) is { } constructor)
        {
            return constructor;
        }

        return declared ?? model.GetEnclosingSymbol(syntax.SpanStart, cancellation);
    }

    private static IMethodSymbol? PrimaryConstructorOf(INamedTypeSymbol type, SyntaxNode declaration)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == declaration.SyntaxTree && reference.Span == declaration.Span)
                {
                    return constructor;
                }
            }
        }

        return null;
    }
}
