using System.Collections.Generic;
using System.Collections.Immutable;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using static DmaSafe.Analyzers.Flow.AccessTypes;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// Follows a value backwards, within one operation block, to the memory it points at: through casts, nint/IntPtr
/// conversions, pointer arithmetic, locals written once, <c>fixed</c>, address-of, field chains (<c>st-&gt;inner.buf</c>),
/// fixed buffers, inline arrays and Span views (<c>new Span&lt;byte&gt;(p, n)</c>, MemoryMarshal, Slice).
/// Anything else ends the walk in an <see cref="AccessRootKind.Unknown"/> root; it never throws.
/// </summary>
internal sealed class SinkFlowAnalysis
{
    // Deep enough for any realistic chain of casts and locals, shallow enough to bound pathological code.
    private const int MaxDepth = 48;

    private readonly DmaSymbols _symbols;
    private readonly LocalAssignments _locals;
    private readonly HashSet<ILocalSymbol> _inProgress = new(SymbolEqualityComparer.Default);

    public SinkFlowAnalysis(DmaSymbols symbols, ImmutableArray<IOperation> blocks)
    {
        _symbols = symbols;
        _locals = new LocalAssignments(blocks);
    }

    public DmaSymbols Symbols => _symbols;

    /// <summary>
    /// The sink arguments of <paramref name="call"/> (an invocation or object creation) with their paths; empty when it
    /// is not a sink.
    /// </summary>
    public ImmutableArray<SinkUse> SinkUsesOf(IOperation call)
    {
        var (method, arguments) = call switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
            IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null)
        {
            return ImmutableArray<SinkUse>.Empty;
        }

        var ordinals = _symbols.SinkParameterOrdinals(method);
        if (ordinals.IsEmpty)
        {
            return ImmutableArray<SinkUse>.Empty;
        }

        var direction = ConstantDirection(arguments);
        var uses = ImmutableArray.CreateBuilder<SinkUse>();
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter && ordinals.Contains(parameter.Ordinal) && argument.Value is { } value)
            {
                var path = parameter.RefKind == RefKind.None ? TraceAddress(value) : TraceStorage(value);
                uses.Add(new SinkUse(call.Syntax, method, parameter, argument.Syntax, path, direction));
            }
        }

        return uses.ToImmutable();
    }

    /// <summary>The memory a pointer-like value points at.</summary>
    public AccessPath TraceAddress(IOperation value) => Address(value, 0);

    /// <summary>The memory a variable reference denotes (what <c>&amp;reference</c> would point at).</summary>
    public AccessPath TraceStorage(IOperation reference) => Storage(reference, 0);

    private MappedDirection? ConstantDirection(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter
                && _symbols.IsDirection(parameter.Type)
                && argument.Value?.ConstantValue is { HasValue: true, Value: { } constant})
            {
                return constant switch
                {
                    int number when number is >= 0 and <= 3 => (MappedDirection)number,
                    _ => null,
                };
            }
        }

        return null;
    }

    private AccessPath Address(IOperation? value, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return Unknown(value);
        }

        if (IsStackalloc(value))
        {
            return Root(AccessRootKind.Stackalloc, null, value, rootIsPointer: true, PointedAt(value.Type));
        }

        switch (value)
        {
            case IParenthesizedOperation parenthesized:
                return Address(parenthesized.Operand, depth + 1);

            case IConversionOperation conversion:
                return Conversion(conversion, depth);

            case IAddressOfOperation addressOf:
                return Storage(addressOf.Reference, depth + 1);

            case IFieldReferenceOperation { Field.IsFixedSizeBuffer: true } fixedBuffer:
                // A fixed buffer used as a value is already its own address.
                return Storage(fixedBuffer, depth + 1);

            case IFieldReferenceOperation field:
                return Root(AccessRootKind.Field, field.Field, field, rootIsPointer: true, PointedAt(field.Field.Type));

            case ILocalReferenceOperation local:
                return LocalValue(local, depth);

            case IParameterReferenceOperation parameter:
                return Root(AccessRootKind.Parameter, parameter.Parameter, parameter, rootIsPointer: true, PointedAt(parameter.Parameter.Type));

            case IInvocationOperation invocation:
                return InvocationValue(invocation, depth);

            case IObjectCreationOperation creation:
                return CreationValue(creation, depth);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary:
                return PointerArithmetic(binary, depth);

            case IInlineArrayAccessOperation inlineArray:
                return WithOffset(Storage(inlineArray.Instance, depth + 1), !IsZeroIndex(inlineArray.Argument));

            case { Kind: OperationKind.None } wrapper when SingleChild(wrapper) is { } pinned:
                // A `fixed` initializer is wrapped in an operation without a public interface: the pinned expression is its only child.
                return Address(pinned, depth + 1);

            default:
                return Unknown(value);
        }
    }

    private static IOperation? SingleChild(IOperation operation)
    {
        IOperation? only = null;
        foreach (var child in operation.ChildOperations)
        {
            if (only is not null)
            {
                return null;
            }

            only = child;
        }

        return only;
    }

    private AccessPath Storage(IOperation? reference, int depth)
    {
        if (reference is null || depth > MaxDepth)
        {
            return Unknown(reference);
        }

        switch (reference)
        {
            case IParenthesizedOperation parenthesized:
                return Storage(parenthesized.Operand, depth + 1);

            case ILocalReferenceOperation local when local.Local.IsRef:
                return _inProgress.Add(local.Local) && _locals.TryGetSingleValue(local.Local, out var target)
                    ? Release(local.Local, Storage(target, depth + 1))
                    : Release(local.Local, Root(AccessRootKind.Local, local.Local, local, rootIsPointer: false, local.Local.Type));

            case ILocalReferenceOperation local:
                return Root(AccessRootKind.StackVariable, local.Local, local, rootIsPointer: false, local.Local.Type);

            case IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None:
                return Root(AccessRootKind.StackVariable, parameter.Parameter, parameter, rootIsPointer: false, parameter.Parameter.Type);

            case IParameterReferenceOperation parameter:
                return Root(AccessRootKind.Parameter, parameter.Parameter, parameter, rootIsPointer: false, parameter.Parameter.Type);

            case IInstanceReferenceOperation instance:
                return Root(AccessRootKind.This, null, instance, rootIsPointer: false, instance.Type);

            case IFieldReferenceOperation field:
                return FieldStorage(field, depth);

            case IInlineArrayAccessOperation inlineArray:
                return WithOffset(Storage(inlineArray.Instance, depth + 1), !IsZeroIndex(inlineArray.Argument));

            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when IsSpan(indexer.Instance?.Type):
                return WithOffset(Address(indexer.Instance, depth + 1), indexer.Arguments.Length != 1 || !IsZeroIndex(indexer.Arguments[0].Value));

            case IInvocationOperation invocation:
                return InvocationReference(invocation, depth);

            case IArrayElementReferenceOperation:
                return Unknown(reference);

            default:
                return PointerDereference(reference, depth);
        }
    }

    private AccessPath FieldStorage(IFieldReferenceOperation field, int depth)
    {
        var instance = field.Instance;
        if (field.Field.IsStatic || instance is null)
        {
            return Root(AccessRootKind.Field, field.Field, field, rootIsPointer: false, field.Field.Type);
        }

        if (instance.Type is { IsReferenceType: true })
        {
            // A field inside a managed object: the object is the field's storage; the path starts at the field.
            return Root(AccessRootKind.Field, field.Field, field, rootIsPointer: false, field.Field.Type);
        }

        return Append(Storage(instance, depth + 1), field.Field);
    }

    private AccessPath PointerDereference(IOperation reference, int depth)
    {
        // `*p`, `p->f`'s receiver and `p[i]` have no public IOperation interface in Roslyn 4.8: they surface as
        // OperationKind.None whose children are the pointer (and the index).
        if (reference.Kind != OperationKind.None)
        {
            return Unknown(reference);
        }

        IOperation? pointer = null;
        IOperation? index = null;
        foreach (var child in reference.ChildOperations)
        {
            if (pointer is null && child.Type is { TypeKind: TypeKind.Pointer })
            {
                pointer = child;
            }
            else if (pointer is not null && index is null)
            {
                index = child;
            }
        }

        if (pointer is null)
        {
            return Unknown(reference);
        }

        return WithOffset(Address(pointer, depth + 1), index is not null && !IsZeroIndex(index));
    }

    private AccessPath Conversion(IConversionOperation conversion, int depth)
    {
        var operand = conversion.Operand;
        if (operand is null)
        {
            return Unknown(conversion);
        }

        // An inline array or other struct converted to a Span: the span views the struct's storage.
        var path = operand.Type is { IsValueType: true } operandType && !DmaSymbols.IsPointerLike(operandType) && !IsNumeric(operandType)
            ? Storage(operand, depth + 1)
            : Address(operand, depth + 1);

        if (path.Fields.IsEmpty
            && conversion.Type is IPointerTypeSymbol { PointedAtType: { } castTo }
            && !IsUntyped(castTo)
            && (path.PointedAtType is null || IsUntyped(path.PointedAtType)))
        {
            return path.WithPointedAtType(castTo);
        }

        return path;
    }

    private AccessPath LocalValue(ILocalReferenceOperation local, int depth)
    {
        var symbol = local.Local;
        if (symbol.IsRef)
        {
            // A ref local of pointer type read as a value: the pointer stored where it refers; not followed.
            return Root(AccessRootKind.Local, symbol, local, rootIsPointer: true, PointedAt(symbol.Type));
        }

        if (!IsValueCarrier(symbol.Type))
        {
            // A struct local used where an address is wanted (a Span over it, an inline array): its own storage.
            return Storage(local, depth + 1);
        }

        if (_inProgress.Add(symbol))
        {
            if (_locals.TryGetSingleValue(symbol, out var value))
            {
                return Release(symbol, Address(value, depth + 1));
            }

            _inProgress.Remove(symbol);
        }

        return Root(AccessRootKind.Local, symbol, local, rootIsPointer: true, PointedAt(symbol.Type));
    }

    private AccessPath InvocationValue(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        if (_symbols.IsKmalloc(method))
        {
            var type = method.IsGenericMethod && method.TypeArguments.Length == 1 ? method.TypeArguments[0] : PointedAt(invocation.Type);
            return new AccessPath(AccessRootKind.Kmalloc, null, invocation, rootIsPointer: true, ImmutableArray<IFieldSymbol>.Empty, hasOffset: false, type, KmallocCall.FromOperation(invocation));
        }

        var containing = method.ContainingType;
        switch (method.Name)
        {
            case "ToPointer" when containing?.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr:
                return Address(invocation.Instance, depth + 1);
            case "Slice" when IsSpan(containing):
                return WithOffset(Address(invocation.Instance, depth + 1), invocation.Arguments.Length == 0 || !IsZeroIndex(invocation.Arguments[0].Value));
            case "CreateSpan" or "CreateReadOnlySpan" when IsInteropType(containing, "MemoryMarshal") && invocation.Arguments.Length > 0:
                return Storage(invocation.Arguments[0].Value, depth + 1);
            case "AsBytes" or "Cast" when IsInteropType(containing, "MemoryMarshal") && invocation.Arguments.Length > 0:
                return Address(invocation.Arguments[0].Value, depth + 1);
            case "AsPointer" when IsCompilerServicesType(containing, "Unsafe") && invocation.Arguments.Length > 0:
                return Storage(invocation.Arguments[0].Value, depth + 1);
            case "Add" or "Subtract" or "AddByteOffset" when IsCompilerServicesType(containing, "Unsafe") && invocation.Arguments.Length > 0:
                return WithOffset(Address(invocation.Arguments[0].Value, depth + 1), true);
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return InvocationReference(invocation, depth);
        }

        return Root(AccessRootKind.Call, method, invocation, rootIsPointer: true, PointedAt(invocation.Type));
    }

    private AccessPath InvocationReference(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        var containing = method.ContainingType;
        if (method.Name == "GetReference" && IsInteropType(containing, "MemoryMarshal") && invocation.Arguments.Length > 0)
        {
            return Address(invocation.Arguments[0].Value, depth + 1);
        }

        if (method.Name == "AsRef" && IsCompilerServicesType(containing, "Unsafe") && invocation.Arguments.Length > 0)
        {
            var argument = invocation.Arguments[0];
            return argument.Parameter?.RefKind is RefKind.None or null
                ? Address(argument.Value, depth + 1)
                : Storage(argument.Value, depth + 1);
        }

        if ((method.Name == "Add" || method.Name == "AddByteOffset") && IsCompilerServicesType(containing, "Unsafe") && invocation.Arguments.Length > 0)
        {
            return WithOffset(Storage(invocation.Arguments[0].Value, depth + 1), true);
        }

        return Root(AccessRootKind.Call, method, invocation, rootIsPointer: true, invocation.Type);
    }

    private AccessPath CreationValue(IObjectCreationOperation creation, int depth)
    {
        var type = creation.Type;
        var arguments = creation.Arguments;
        if (arguments.Length > 0
            && arguments[0].Value?.Type is { TypeKind: TypeKind.Pointer }
            && (IsSpan(type) || type?.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr))
        {
            return Address(arguments[0].Value, depth + 1);
        }

        return Unknown(creation);
    }

    private AccessPath PointerArithmetic(IBinaryOperation binary, int depth)
    {
        var left = binary.LeftOperand;
        var right = binary.RightOperand;
        if (left?.Type is { } leftType && DmaSymbols.IsPointerLike(leftType))
        {
            return WithOffset(Address(left, depth + 1), !IsZeroIndex(right));
        }

        if (right?.Type is { } rightType && DmaSymbols.IsPointerLike(rightType) && binary.OperatorKind == BinaryOperatorKind.Add)
        {
            return WithOffset(Address(right, depth + 1), !IsZeroIndex(left));
        }

        return Unknown(binary);
    }

    private AccessPath Release(ILocalSymbol local, AccessPath path)
    {
        _inProgress.Remove(local);
        return path;
    }

    private static AccessPath Root(AccessRootKind kind, ISymbol? symbol, IOperation operation, bool rootIsPointer, ITypeSymbol? pointedAt) =>
        new(kind, symbol, operation, rootIsPointer, ImmutableArray<IFieldSymbol>.Empty, hasOffset: false, pointedAt, kmalloc: null);

    private static AccessPath Unknown(IOperation? operation) =>
        new(AccessRootKind.Unknown, null, operation, rootIsPointer: true, ImmutableArray<IFieldSymbol>.Empty, hasOffset: false, null, kmalloc: null);

    private static AccessPath Append(AccessPath path, IFieldSymbol field)
    {
        if (path.RootKind == AccessRootKind.Unknown)
        {
            return path;
        }

        return path.Append(field);
    }

    private static AccessPath WithOffset(AccessPath path, bool moved) => path.WithOffset(moved);

    private static bool IsZeroIndex(IOperation? index) =>
        index?.ConstantValue is { HasValue: true, Value: { } constant }
        && constant switch
        {
            int i => i == 0,
            long l => l == 0,
            uint u => u == 0,
            ulong ul => ul == 0,
            _ => false,
        };

    private static bool IsStackalloc(IOperation operation) =>
        operation.Syntax.IsKind(SyntaxKind.StackAllocArrayCreationExpression)
        || operation.Syntax.IsKind(SyntaxKind.ImplicitStackAllocArrayCreationExpression);

    private static bool IsInteropType(INamedTypeSymbol? type, string name) =>
        type is not null && type.Name == name
        && type.ContainingNamespace is { Name: "InteropServices", ContainingNamespace: { Name: "Runtime", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static bool IsCompilerServicesType(INamedTypeSymbol? type, string name) =>
        type is not null && type.Name == name
        && type.ContainingNamespace is { Name: "CompilerServices", ContainingNamespace: { Name: "Runtime", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };
}
