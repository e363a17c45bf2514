using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// Whether a call lets the compiler fill a <c>[CallerLineNumber]</c> parameter: the runtime records an allocation or
/// map site by that line, so only such calls can be the sites a bounce profile names. Read from the call's syntax and
/// the method it binds to, without an operation tree.
/// </summary>
internal static class CallerLineArgument
{
    /// <summary>True when some parameter of <paramref name="method"/> (or of the method it was reduced from) is a caller line.</summary>
    public static bool IsDeclared(IMethodSymbol method) =>
        HasCallerLineParameter(method) || (method.ReducedFrom is { } unreduced && HasCallerLineParameter(unreduced));

    /// <summary>
    /// True when <paramref name="call"/> leaves a caller-line parameter of <paramref name="method"/> (the method the call
    /// binds to, reduced for an extension call) to the compiler: no argument names it and none sits in its position.
    /// Named arguments out of position end the positional ones (C# allows a named argument before positional ones only
    /// in its own position), so a positional argument at a parameter's ordinal always binds to that parameter.
    /// </summary>
    public static bool IsLeftToCompiler(InvocationExpressionSyntax call, IMethodSymbol method)
    {
        var arguments = call.ArgumentList.Arguments;
        foreach (var parameter in method.Parameters)
        {
            if (IsCallerLine(parameter) && !IsSupplied(arguments, parameter))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSupplied(SeparatedSyntaxList<ArgumentSyntax> arguments, IParameterSymbol parameter)
    {
        foreach (var argument in arguments)
        {
            if (argument.NameColon is { } name && name.Name.Identifier.ValueText == parameter.Name)
            {
                return true;
            }
        }

        return parameter.Ordinal < arguments.Count && arguments[parameter.Ordinal].NameColon is null;
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
}
