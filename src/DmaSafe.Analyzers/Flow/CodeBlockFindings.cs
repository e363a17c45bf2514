using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// One operation block (a body or initializer) that may call a sink or map for DMA: its root, the symbol that owns it
/// (as an operation-block action's OwningSymbol), and its traced sink uses.
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
    }

    public IOperation Root { get; }

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
                return _sinkUses ??= SinkFlowRegistration.CollectUses(ImmutableArray.Create(Root), _symbols);
            }
        }
    }

    /// <summary>Reads a tree: its text, then its syntax, and only where some call may be a sink or map call, the operations.</summary>
    public static ImmutableArray<CodeBlockFindings> Read(SemanticModel model, DmaSymbols symbols, CancellationToken cancellation)
    {
        // Most files of a driver project call no sink at all: one text search rules them out before any syntax walk.
        var names = symbols.CallNames(cancellation);
        var tree = model.SyntaxTree;
        if (!names.MayBeCalledIn(tree.GetText(cancellation).ToString()))
        {
            return ImmutableArray<CodeBlockFindings>.Empty;
        }

        var candidates = CodeBlockScan.Of(tree.GetRoot(cancellation), names);
        if (candidates.Count == 0)
        {
            return ImmutableArray<CodeBlockFindings>.Empty;
        }

        var blocks = ImmutableArray.CreateBuilder<CodeBlockFindings>();
        foreach (var root in CodeBlockRoots.Of(model, candidates, cancellation))
        {
            blocks.Add(new CodeBlockFindings(symbols, root, OwnerOf(root.Operation, model, cancellation)));
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
