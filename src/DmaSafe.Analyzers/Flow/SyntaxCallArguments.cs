using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// A call's arguments matched to its parameters from syntax, for the calls the syntax path decides: positional
/// arguments only (no names, no params array, no __arglist), each parameter either passed or optional. Null otherwise.
/// </summary>
internal static class SyntaxCallArguments
{
    /// <summary>Per parameter, in order, the argument passed for it, or null when the optional parameter is omitted.</summary>
    public static ImmutableArray<ArgumentSyntax?>? Match(BaseArgumentListSyntax? list, IMethodSymbol method)
    {
        var parameters = method.Parameters;
        var arguments = list?.Arguments ?? default;
        var count = list is null ? 0 : arguments.Count;
        if (count > parameters.Length)
        {
            return null;
        }

        var matched = ImmutableArray.CreateBuilder<ArgumentSyntax?>(parameters.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.IsParams)
            {
                return null;
            }

            if (i < count)
            {
                var argument = arguments[i];
                if (argument.NameColon is not null || argument.Expression is null || argument.Expression.IsKind(SyntaxKind.ArgListExpression))
                {
                    return null;
                }

                matched.Add(argument);
            }
            else if (parameter.IsOptional)
            {
                matched.Add(null);
            }
            else
            {
                return null;
            }
        }

        return matched.MoveToImmutable();
    }

    /// <summary>
    /// The constant an argument passes (the parameter's default when omitted), as the call's argument operation would
    /// carry it; false when syntax cannot tell that constant the same way (a negative number for an unsigned parameter).
    /// </summary>
    public static bool TryGetConstant(SemanticModel model, ArgumentSyntax? argument, IParameterSymbol parameter, CancellationToken cancellation, out Optional<object?> constant)
    {
        if (argument is null)
        {
            constant = parameter.HasExplicitDefaultValue ? new Optional<object?>(parameter.ExplicitDefaultValue) : default;
            return true;
        }

        constant = model.GetConstantValue(argument.Expression, cancellation);
        if (constant.HasValue && IsUnsigned(parameter.Type) && constant.Value is int or long or short or sbyte
            && System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) < 0)
        {
            return false;
        }

        return true;
    }

    /// <summary>A Kmalloc/Kzalloc call's request, or null when its arguments are not matched positionally.</summary>
    public static KmallocCall? Kmalloc(SemanticModel model, InvocationExpressionSyntax invocation, IMethodSymbol method, CancellationToken cancellation)
    {
        if (Match(invocation.ArgumentList, method) is not { } matched)
        {
            return null;
        }

        var arguments = ImmutableArray.CreateBuilder<KmallocArgument>(matched.Length);
        for (var i = 0; i < matched.Length; i++)
        {
            if (!TryGetConstant(model, matched[i], method.Parameters[i], cancellation, out var constant))
            {
                return null;
            }

            arguments.Add(new KmallocArgument(method.Parameters[i], hasValue: true, constant));
        }

        return new KmallocCall(invocation, method, arguments.MoveToImmutable());
    }

    private static bool IsUnsigned(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_UIntPtr;
}
