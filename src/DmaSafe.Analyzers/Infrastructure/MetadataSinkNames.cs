using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// The sink names one referenced assembly contributes to <see cref="SinkCallNames"/>: its methods and constructors with
/// a [DmaBuffer] parameter, and whether a delegate's Invoke has one. Walking an assembly's every method and parameter
/// attribute costs milliseconds, and the answer cannot change while the assembly symbol lives, so it is kept per
/// assembly symbol (weakly: the compiler shares one symbol between the compilations of a build session or IDE
/// workspace that reference the same file) together with the attribute types it was computed for.
/// </summary>
internal sealed class MetadataSinkNames
{
    private static readonly ConditionalWeakTable<IAssemblySymbol, MetadataSinkNames> Cache = new();

    private readonly ImmutableArray<INamedTypeSymbol> _attributes;
    private readonly string[] _methods;
    private readonly string[] _constructorTypes;
    private readonly bool _delegatesMaySink;

    private MetadataSinkNames(ImmutableArray<INamedTypeSymbol> attributes, HashSet<string> methods, HashSet<string> constructorTypes, bool delegatesMaySink)
    {
        _attributes = attributes;
        _methods = new string[methods.Count];
        methods.CopyTo(_methods);
        _constructorTypes = new string[constructorTypes.Count];
        constructorTypes.CopyTo(_constructorTypes);
        _delegatesMaySink = delegatesMaySink;
    }

    /// <summary>The names of <paramref name="assembly"/>, from the cache when they were read for the same attribute types.</summary>
    public static MetadataSinkNames Of(IAssemblySymbol assembly, DmaSymbols symbols, CancellationToken cancellation)
    {
        if (Cache.TryGetValue(assembly, out var cached) && SameTypes(cached._attributes, symbols.DmaBufferAttributes))
        {
            return cached;
        }

        var read = Read(assembly, symbols, cancellation);
        if (!AllFromMetadata(symbols.DmaBufferAttributes))
        {
            // A source attribute type would keep its compilation alive as long as the referenced assembly.
            return read;
        }

        // Another compilation (with other attribute types) may store its own answer meanwhile: the latest wins; each is
        // right for the compilation that computed it, and a mismatch only costs a re-read.
        lock (Cache)
        {
            Cache.Remove(assembly);
            Cache.Add(assembly, read);
        }

        return read;
    }

    /// <summary>Sorts a sink into the sets <see cref="SinkCallNames"/> keeps.</summary>
    public static void Add(IMethodSymbol method, HashSet<string> methods, HashSet<string> constructorTypes, ref bool delegatesMaySink)
    {
        switch (method.MethodKind)
        {
            case MethodKind.Constructor:
                constructorTypes.Add(method.ContainingType.Name);
                break;
            case MethodKind.DelegateInvoke:
                delegatesMaySink = true;
                break;
            default:
                methods.Add(method.Name);
                break;
        }
    }

    public void AddTo(HashSet<string> methods, HashSet<string> constructorTypes, ref bool delegatesMaySink)
    {
        methods.UnionWith(_methods);
        constructorTypes.UnionWith(_constructorTypes);
        delegatesMaySink |= _delegatesMaySink;
    }

    private static MetadataSinkNames Read(IAssemblySymbol assembly, DmaSymbols symbols, CancellationToken cancellation)
    {
        var methods = new HashSet<string>(System.StringComparer.Ordinal);
        var constructorTypes = new HashSet<string>(System.StringComparer.Ordinal);
        var delegatesMaySink = false;
        Walk(assembly.GlobalNamespace, symbols, methods, constructorTypes, ref delegatesMaySink, cancellation);
        return new MetadataSinkNames(symbols.DmaBufferAttributes, methods, constructorTypes, delegatesMaySink);
    }

    private static void Walk(INamespaceOrTypeSymbol container, DmaSymbols symbols, HashSet<string> methods, HashSet<string> constructorTypes, ref bool delegatesMaySink, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        foreach (var member in container.GetMembers())
        {
            switch (member)
            {
                case INamespaceOrTypeSymbol nested:
                    Walk(nested, symbols, methods, constructorTypes, ref delegatesMaySink, cancellation);
                    break;
                case IMethodSymbol method when HasDmaBufferParameter(method, symbols):
                    Add(method, methods, constructorTypes, ref delegatesMaySink);
                    break;
            }
        }
    }

    private static bool HasDmaBufferParameter(IMethodSymbol method, DmaSymbols symbols)
    {
        foreach (var parameter in method.Parameters)
        {
            if (symbols.IsDmaBuffer(parameter))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllFromMetadata(ImmutableArray<INamedTypeSymbol> types)
    {
        foreach (var type in types)
        {
            if (!type.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameTypes(ImmutableArray<INamedTypeSymbol> a, ImmutableArray<INamedTypeSymbol> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
