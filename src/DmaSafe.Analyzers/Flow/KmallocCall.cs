using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// A <c>Machine.Kmalloc</c>/<c>Kzalloc</c> call as the rules read it (DMA002's size class, DMA001's root placement): the
/// method, and per parameter the constant the call passes, defaults included. Built from an invocation operation or
/// from syntax and symbol lookups alone, so the rules work the same whichever path traced the sink use.
/// </summary>
internal sealed class KmallocCall
{
    public KmallocCall(SyntaxNode syntax, IMethodSymbol method, ImmutableArray<KmallocArgument> arguments)
    {
        Syntax = syntax;
        Method = method;
        Arguments = arguments;
    }

    /// <summary>The invocation.</summary>
    public SyntaxNode Syntax { get; }

    /// <summary>The Kmalloc/Kzalloc overload called (constructed: a generic call's type argument is the allocated type).</summary>
    public IMethodSymbol Method { get; }

    /// <summary>One entry per argument the call passes, in the operation's order (omitted optional parameters included).</summary>
    public ImmutableArray<KmallocArgument> Arguments { get; }

    public static KmallocCall FromOperation(IInvocationOperation invocation)
    {
        var arguments = ImmutableArray.CreateBuilder<KmallocArgument>(invocation.Arguments.Length);
        foreach (var argument in invocation.Arguments)
        {
            arguments.Add(new KmallocArgument(argument.Parameter, argument.Value is not null, argument.Value?.ConstantValue ?? default));
        }

        return new KmallocCall(invocation.Syntax, invocation.TargetMethod, arguments.MoveToImmutable());
    }
}

/// <summary>What a Kmalloc call passes for one parameter.</summary>
internal readonly struct KmallocArgument
{
    public KmallocArgument(IParameterSymbol? parameter, bool hasValue, Optional<object?> constant)
    {
        Parameter = parameter;
        HasValue = hasValue;
        Constant = constant;
    }

    /// <summary>The parameter the argument binds to (null on erroneous code).</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>False when the argument has no value at all (erroneous code).</summary>
    public bool HasValue { get; }

    /// <summary>
    /// The argument's constant value when it has one. The rules read only the size and the Gfp flags; a caller-information
    /// parameter carries its declared default on the syntax path (the operation carries the compiler's value).
    /// </summary>
    public Optional<object?> Constant { get; }
}
