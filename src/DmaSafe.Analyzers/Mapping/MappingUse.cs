using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Mapping;

/// <summary>What a read of a mapping result (or of a scatter list after MapSg) does with it.</summary>
internal enum MappingUseKind
{
    /// <summary>Nothing that matters (logging, a comparison that is not a check, a copy to a local).</summary>
    Harmless,

    /// <summary>The result is checked: MappingError(result), or the MapSg count compared/pattern-matched.</summary>
    Check,

    /// <summary>The result is handed on or stored: a real use that needs a prior check.</summary>
    Use,
}

/// <summary>Classifies how an expression's value is consumed, walking up through conversions, member reads and arithmetic.</summary>
internal static class MappingUse
{
    /// <summary>
    /// How <paramref name="value"/> (a mapping result or a read of a variable holding one) is consumed, and a phrase
    /// for the message ("passed to 'DmaDevice.DeviceWrite'").
    /// </summary>
    public static MappingUseKind Classify(IOperation value, DmaSymbols symbols, bool isCount, out string what)
    {
        what = string.Empty;
        var current = value;
        for (var depth = 0; depth < 16; depth++)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation:
                    current = parent;
                    continue;
                case IPropertyReferenceOperation property when property.Instance == current:
                    current = parent;
                    continue;
                case IFieldReferenceOperation field when field.Instance == current:
                    current = parent;
                    continue;
                case IBinaryOperation binary when IsComparison(binary.OperatorKind):
                    return isCount ? MappingUseKind.Check : MappingUseKind.Harmless;
                case IBinaryOperation:
                    current = parent;
                    continue;
                case IIsPatternOperation or ISwitchOperation or ISwitchExpressionOperation or IIsTypeOperation:
                    return isCount ? MappingUseKind.Check : MappingUseKind.Harmless;
                case Microsoft.CodeAnalysis.FlowAnalysis.IFlowCaptureOperation when isCount:
                    // The control-flow graph captures a switch expression's or conditional's input first: the count is inspected.
                    return MappingUseKind.Check;
                case IArgumentOperation { Parent: IInvocationOperation call } argument:
                    if (symbols.IsMappingError(call.TargetMethod))
                    {
                        return MappingUseKind.Check;
                    }

                    if (isCount || argument.Parameter?.Type.SpecialType is SpecialType.System_Object or SpecialType.System_String)
                    {
                        // Logging or formatting an address hands nothing to a device; a segment count is only a number
                        // (the danger is the scatter list's entries, which are tracked separately).
                        return MappingUseKind.Harmless;
                    }

                    what = (IsUnmap(call.TargetMethod) ? "unmapped by '" : "passed to '") + DisplayName(call.TargetMethod) + "'";
                    return MappingUseKind.Use;
                case IArgumentOperation { Parent: IObjectCreationOperation creation }:
                    what = "passed to 'new " + (creation.Type?.Name ?? "?") + "'";
                    return MappingUseKind.Use;
                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    if (assignment.Target is ILocalReferenceOperation)
                    {
                        return MappingUseKind.Harmless;
                    }

                    what = "stored in '" + assignment.Target.Syntax + "'";
                    return MappingUseKind.Use;
                case IFieldInitializerOperation or IPropertyInitializerOperation:
                    what = "stored in a field";
                    return MappingUseKind.Use;
                default:
                    return MappingUseKind.Harmless;
            }
        }

        return MappingUseKind.Harmless;
    }

    public static string DisplayName(IMethodSymbol method) => method.ContainingType is { } type ? type.Name + "." + method.Name : method.Name;

    private static bool IsUnmap(IMethodSymbol method) => method.Name.StartsWith("Unmap", System.StringComparison.Ordinal);

    private static bool IsComparison(BinaryOperatorKind kind) =>
        kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan
            or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;
}
