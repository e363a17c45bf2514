using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static DmaSafe.Analyzers.Flow.AccessTypes;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// <see cref="SinkFlowAnalysis"/>'s walk for the common argument shapes, read from syntax and symbol lookups on the shared
/// semantic model instead of an operation tree (which the model would keep alive for the whole member): casts,
/// nint/IntPtr conversions, address-of, pointer arithmetic, field chains through pointers and structs, fixed buffers,
/// <c>new IntPtr(p)</c>/<c>new Span&lt;T&gt;(p, n)</c>, locals declared once with an initializer and never written again,
/// Kmalloc, stackalloc. It gives exactly the path the operation walk gives, or null ("not decided") for anything
/// else, in which case the block takes the operation path. It never throws on erroneous code; it declines instead.
/// </summary>
internal sealed class SyntaxAccessTrace
{
    private const int MaxDepth = 48;

    private readonly SemanticModel _model;
    private readonly DmaSymbols _symbols;
    private readonly SyntaxLocals _locals;
    private readonly CancellationToken _cancellation;
    private readonly HashSet<ILocalSymbol> _inProgress = new(SymbolEqualityComparer.Default);

    /// <param name="text">The member's tree's text, if the caller has read it (locals are then checked without a walk).</param>
    public SyntaxAccessTrace(SemanticModel model, DmaSymbols symbols, SyntaxNode member, CancellationToken cancellation, string? text = null)
    {
        _model = model;
        _symbols = symbols;
        _locals = new SyntaxLocals(member, text);
        _cancellation = cancellation;
    }

    /// <summary>The memory a pointer-like argument points at (the argument's implicit conversion included), or null.</summary>
    public AccessPath? TraceAddress(ExpressionSyntax value) => Address(value, 0);

    /// <summary>The memory a by-reference argument denotes, or null.</summary>
    public AccessPath? TraceStorage(ExpressionSyntax reference) => Storage(reference, 0);

    /// <summary>A value as it is used where it stands: with the implicit conversion the compiler applies there.</summary>
    private AccessPath? Address(ExpressionSyntax value, int depth)
    {
        if (depth > MaxDepth || !TryGetImplicitConversion(value, out var inner, out var from, out var to))
        {
            return null;
        }

        if (inner is StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax)
        {
            // The operation walk recognises the stackalloc by its syntax, on the converted value when it is converted.
            return Root(AccessRootKind.Stackalloc, null, rootIsPointer: true, PointedAt(to ?? _model.GetTypeInfo(inner, _cancellation).Type));
        }

        return to is null ? AddressCore(inner, depth) : Conversion(inner, from, to, depth);
    }

    private AccessPath? AddressCore(ExpressionSyntax value, int depth)
    {
        switch (value)
        {
            case StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax:
                return Root(AccessRootKind.Stackalloc, null, rootIsPointer: true, PointedAt(_model.GetTypeInfo(value, _cancellation).Type));

            case CastExpressionSyntax cast:
                if (_model.GetSymbolInfo(cast, _cancellation).Symbol is not null)
                {
                    // A user-defined conversion: declined.
                    return null;
                }

                var operand = Unparenthesize(cast.Expression);
                return Conversion(operand, _model.GetTypeInfo(operand, _cancellation).Type, _model.GetTypeInfo(cast, _cancellation).Type, depth);

            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.AddressOfExpression } addressOf:
                return Storage(addressOf.Operand, depth + 1);

            case IdentifierNameSyntax or MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } or MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.PointerMemberAccessExpression }:
                switch (_model.GetSymbolInfo(value, _cancellation).Symbol)
                {
                    case IFieldSymbol { IsFixedSizeBuffer: true }:
                        // A fixed buffer used as a value is already its own address.
                        return Storage(value, depth + 1);
                    case IFieldSymbol field:
                        return Root(AccessRootKind.Field, field, rootIsPointer: true, PointedAt(field.Type));
                    case ILocalSymbol local when value is IdentifierNameSyntax:
                        return LocalValue(value, local, depth);
                    case IParameterSymbol parameter when value is IdentifierNameSyntax:
                        return Root(AccessRootKind.Parameter, parameter, rootIsPointer: true, PointedAt(parameter.Type));
                    default:
                        return null;
                }

            case InvocationExpressionSyntax invocation:
                return InvocationValue(invocation, depth);

            case ObjectCreationExpressionSyntax creation:
                return CreationValue(creation, depth);

            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression or (int)SyntaxKind.SubtractExpression } binary:
                return PointerArithmetic(binary, depth);

            default:
                return null;
        }
    }

    private AccessPath? Storage(ExpressionSyntax reference, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        reference = Unparenthesize(reference);
        switch (reference)
        {
            case IdentifierNameSyntax:
                switch (_model.GetSymbolInfo(reference, _cancellation).Symbol)
                {
                    case ILocalSymbol { IsRef: false } local:
                        return Root(AccessRootKind.StackVariable, local, rootIsPointer: false, local.Type);
                    case IParameterSymbol { RefKind: RefKind.None } parameter:
                        return Root(AccessRootKind.StackVariable, parameter, rootIsPointer: false, parameter.Type);
                    case IParameterSymbol parameter:
                        return Root(AccessRootKind.Parameter, parameter, rootIsPointer: false, parameter.Type);
                    case IFieldSymbol field:
                        return FieldStorage(field, null, depth);
                    default:
                        return null;
                }

            case ThisExpressionSyntax:
                return Root(AccessRootKind.This, null, rootIsPointer: false, _model.GetTypeInfo(reference, _cancellation).Type);

            case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access:
                return _model.GetSymbolInfo(access, _cancellation).Symbol is IFieldSymbol memberField
                    ? FieldStorage(memberField, access.Expression, depth)
                    : null;

            case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.PointerMemberAccessExpression } arrow:
                // p->f is the field inside the memory p points at: the chain continues from p's value.
                return _model.GetSymbolInfo(arrow, _cancellation).Symbol is IFieldSymbol { IsStatic: false } arrowField
                    && _model.GetTypeInfo(arrow.Expression, _cancellation).Type is IPointerTypeSymbol { PointedAtType.IsReferenceType: false }
                    && Address(arrow.Expression, depth + 1) is { } pointer
                        ? pointer.Append(arrowField)
                        : null;

            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PointerIndirectionExpression } indirection:
                return Address(indirection.Operand, depth + 1);

            case ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } element
                when arguments[0] is { NameColon: null, RefKindKeyword.RawKind: (int)SyntaxKind.None }
                && _model.GetTypeInfo(element.Expression, _cancellation).Type is IPointerTypeSymbol
                && TryIsZero(arguments[0].Expression, out var zero):
                return Address(element.Expression, depth + 1)?.WithOffset(!zero);

            default:
                return null;
        }
    }

    private AccessPath? FieldStorage(IFieldSymbol field, ExpressionSyntax? instance, int depth)
    {
        if (field.IsStatic)
        {
            return Root(AccessRootKind.Field, field, rootIsPointer: false, field.Type);
        }

        // An instance field named alone is read through `this`.
        var instanceType = instance is null ? field.ContainingType : _model.GetTypeInfo(instance, _cancellation).Type;
        if (instanceType is null)
        {
            return null;
        }

        if (instanceType.IsReferenceType)
        {
            // A field inside a managed object: the object is the field's storage; the path starts at the field.
            return Root(AccessRootKind.Field, field, rootIsPointer: false, field.Type);
        }

        var container = instance is null
            ? Root(AccessRootKind.This, null, rootIsPointer: false, instanceType)
            : Storage(instance, depth + 1);
        return container?.Append(field);
    }

    private AccessPath? Conversion(ExpressionSyntax operand, ITypeSymbol? from, ITypeSymbol? to, int depth)
    {
        if (from is null || to is null)
        {
            return null;
        }

        // An inline array or other struct converted to a Span: the span views the struct's storage.
        var path = from.IsValueType && !DmaSymbols.IsPointerLike(from) && !IsNumeric(from)
            ? Storage(operand, depth + 1)
            : AddressCore(operand, depth + 1);
        if (path is not null
            && path.Fields.IsEmpty
            && to is IPointerTypeSymbol { PointedAtType: { } castTo }
            && !IsUntyped(castTo)
            && (path.PointedAtType is null || IsUntyped(path.PointedAtType)))
        {
            return path.WithPointedAtType(castTo);
        }

        return path;
    }

    private AccessPath? LocalValue(ExpressionSyntax reference, ILocalSymbol local, int depth)
    {
        if (local.IsRef)
        {
            // A ref local of pointer type read as a value: the pointer stored where it refers; not followed.
            return Root(AccessRootKind.Local, local, rootIsPointer: true, PointedAt(local.Type));
        }

        if (!IsValueCarrier(local.Type))
        {
            // A struct local used where an address is wanted: its own storage.
            return Storage(reference, depth + 1);
        }

        if (!_locals.TryGetSingleInitializer(local, _cancellation, out var initializer) || !_inProgress.Add(local))
        {
            return null;
        }

        var path = Address(initializer, depth + 1);
        _inProgress.Remove(local);
        return path;
    }

    private AccessPath? InvocationValue(InvocationExpressionSyntax invocation, int depth)
    {
        if (_model.GetSymbolInfo(invocation, _cancellation).Symbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method
            || method.ReturnsByRef
            || method.ReturnsByRefReadonly)
        {
            return null;
        }

        if (_symbols.IsKmalloc(method))
        {
            var call = SyntaxCallArguments.Kmalloc(_model, invocation, method, _cancellation);
            var type = method.IsGenericMethod && method.TypeArguments.Length == 1 ? method.TypeArguments[0] : PointedAt(method.ReturnType);
            return call is null
                ? null
                : new AccessPath(AccessRootKind.Kmalloc, null, null, rootIsPointer: true, ImmutableArray<IFieldSymbol>.Empty, hasOffset: false, type, call);
        }

        if (method.Name == "ToPointer" && method.ContainingType?.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            return invocation.Expression is MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } receiver
                ? Address(receiver.Expression, depth + 1)
                : null;
        }

        if (IsViewOrOffsetHelper(method))
        {
            // Span.Slice, MemoryMarshal and Unsafe helpers: the operation walk knows them; declined here.
            return null;
        }

        return Root(AccessRootKind.Call, method, rootIsPointer: true, PointedAt(method.ReturnType));
    }

    private AccessPath? CreationValue(ObjectCreationExpressionSyntax creation, int depth)
    {
        if (_model.GetSymbolInfo(creation, _cancellation).Symbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            || creation.ArgumentList is not { Arguments: { Count: > 0 } arguments }
            || arguments[0] is not { NameColon: null, RefKindKeyword.RawKind: (int)SyntaxKind.None } first
            || constructor.Parameters.IsEmpty
            || constructor.Parameters[0].IsParams)
        {
            return null;
        }

        var type = constructor.ContainingType;
        var firstType = _model.GetTypeInfo(first.Expression, _cancellation);
        if ((firstType.ConvertedType ?? firstType.Type) is { TypeKind: TypeKind.Pointer }
            && (IsSpan(type) || type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr))
        {
            return Address(first.Expression, depth + 1);
        }

        return null;
    }

    private AccessPath? PointerArithmetic(BinaryExpressionSyntax binary, int depth)
    {
        var leftType = ConvertedType(binary.Left);
        var rightType = ConvertedType(binary.Right);
        if (leftType is not null && DmaSymbols.IsPointerLike(leftType))
        {
            return TryIsZero(binary.Right, out var zero) ? Address(binary.Left, depth + 1)?.WithOffset(!zero) : null;
        }

        if (rightType is not null && DmaSymbols.IsPointerLike(rightType) && binary.IsKind(SyntaxKind.AddExpression))
        {
            return TryIsZero(binary.Left, out var zero) ? Address(binary.Right, depth + 1)?.WithOffset(!zero) : null;
        }

        return null;
    }

    /// <summary>
    /// The expression without parentheses, and the implicit conversion the compiler applies to it where it stands
    /// (<paramref name="to"/> null when none). False when the conversion is one the operation walk would see differently.
    /// </summary>
    private bool TryGetImplicitConversion(ExpressionSyntax value, out ExpressionSyntax inner, out ITypeSymbol? from, out ITypeSymbol? to)
    {
        inner = Unparenthesize(value);
        from = null;
        to = null;
        var outer = _model.GetConversion(value, _cancellation);
        var conversion = outer;
        var info = _model.GetTypeInfo(value, _cancellation);
        if (!ReferenceEquals(inner, value))
        {
            // Which node carries the conversion of a parenthesized value is the model's business: take the one that has it.
            var innerConversion = _model.GetConversion(inner, _cancellation);
            if (!innerConversion.IsIdentity)
            {
                if (!outer.IsIdentity)
                {
                    return false;
                }

                conversion = innerConversion;
                info = _model.GetTypeInfo(inner, _cancellation);
            }
        }

        if (!conversion.Exists || conversion.IsUserDefined)
        {
            return false;
        }

        if (conversion.IsIdentity)
        {
            return true;
        }

        from = info.Type;
        to = info.ConvertedType;
        return from is not null && to is not null;
    }

    private ITypeSymbol? ConvertedType(ExpressionSyntax expression)
    {
        var info = _model.GetTypeInfo(expression, _cancellation);
        return info.ConvertedType ?? info.Type;
    }

    /// <summary>Whether a constant index is zero, as the operation walk reads it; false when the index has no representation it knows.</summary>
    private bool TryIsZero(ExpressionSyntax index, out bool zero)
    {
        zero = false;
        var constant = _model.GetConstantValue(index, _cancellation);
        if (!constant.HasValue)
        {
            return true;
        }

        var type = ConvertedType(index);
        if (type?.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64))
        {
            return false;
        }

        zero = constant.Value switch
        {
            int i => i == 0,
            long l => l == 0,
            uint u => u == 0,
            ulong ul => ul == 0,
            short s => s == 0,
            ushort us => us == 0,
            byte b => b == 0,
            sbyte sb => sb == 0,
            _ => false,
        };
        return constant.Value is int or long or uint or ulong or short or ushort or byte or sbyte;
    }

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    private static AccessPath Root(AccessRootKind kind, ISymbol? symbol, bool rootIsPointer, ITypeSymbol? pointedAt) =>
        new(kind, symbol, null, rootIsPointer, ImmutableArray<IFieldSymbol>.Empty, hasOffset: false, pointedAt, kmalloc: null);

    private static bool IsViewOrOffsetHelper(IMethodSymbol method) =>
        method.Name is "Slice" or "CreateSpan" or "CreateReadOnlySpan" or "AsBytes" or "Cast" or "AsPointer" or "Add" or "Subtract" or "AddByteOffset" or "GetReference" or "AsRef";
}
