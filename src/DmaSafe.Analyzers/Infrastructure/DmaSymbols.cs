using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// Everything DmaSafe-specific one compilation knows: the attribute types and runtime types (by full metadata name,
/// from any assembly, duplicates allowed because users may declare their own copies), the configured sinks and the
/// options. Built once in CompilationStart; never stored in statics or analyzer fields.
/// </summary>
internal sealed class DmaSymbols
{
    public const string DmaBufferAttributeName = "DmaSafe.DmaBufferAttribute";
    public const string DmaAlignedAttributeName = "DmaSafe.DmaAlignedAttribute";
    public const string DmaBounceOkAttributeName = "DmaSafe.DmaBounceOkAttribute";
    public const string MachineName = "DmaSafe.Machine";
    public const string DmaDeviceName = "DmaSafe.DmaDevice";
    public const string GfpName = "DmaSafe.Gfp";
    public const string DmaDirectionName = "DmaSafe.DmaDirection";
    public const string ScatterEntryName = "DmaSafe.ScatterEntry";
    public const string DmaAddressName = "DmaSafe.DmaAddress";
    public const string KmemCacheName = "DmaSafe.KmemCache";

    /// <summary><c>Gfp.DmaAligned</c>'s value (fixed by the runtime's public contract).</summary>
    public const int GfpDmaAlignedValue = 4;

    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<int>> _sinkOrdinals =
        new(SymbolEqualityComparer.Default);

    private readonly ImmutableHashSet<ISymbol> _configuredSinks;

    private DmaSymbols(Compilation compilation, DmaOptions options)
    {
        Compilation = compilation;
        Options = options;
        DmaBufferAttributes = Find(compilation, DmaBufferAttributeName);
        DmaAlignedAttributes = Find(compilation, DmaAlignedAttributeName);
        DmaBounceOkAttributes = Find(compilation, DmaBounceOkAttributeName);
        Machines = Find(compilation, MachineName);
        Devices = Find(compilation, DmaDeviceName);
        GfpTypes = Find(compilation, GfpName);
        DirectionTypes = Find(compilation, DmaDirectionName);
        ScatterEntries = Find(compilation, ScatterEntryName);
        DmaAddresses = Find(compilation, DmaAddressName);
        KmemCaches = Find(compilation, KmemCacheName);

        var sinks = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        var problems = options.Problems.ToBuilder();
        foreach (var id in options.SinkIds)
        {
            var found = false;
            foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation))
            {
                if (symbol is IMethodSymbol method)
                {
                    sinks.Add(method.OriginalDefinition);
                    found = true;
                }
            }

            if (!found)
            {
                problems.Add(new OptionProblem(
                    DmaOptions.DmaSinksKey,
                    id,
                    $"'{DmaOptions.DmaSinksKey}' entry '{id}' names no method of this compilation or its references (expected a documentation-comment ID such as M:Ixy.Memory.VirtToPhys(System.IntPtr))"));
            }
        }

        _configuredSinks = sinks.ToImmutable();
        Problems = problems.ToImmutable();
        Trees = new Flow.SharedTrees(this);
        Generated = new GeneratedCodeFilter(compilation);
    }

    public Compilation Compilation { get; }

    public DmaOptions Options { get; }

    public ImmutableArray<INamedTypeSymbol> DmaBufferAttributes { get; }

    public ImmutableArray<INamedTypeSymbol> DmaAlignedAttributes { get; }

    public ImmutableArray<INamedTypeSymbol> DmaBounceOkAttributes { get; }

    public ImmutableArray<INamedTypeSymbol> Machines { get; }

    public ImmutableArray<INamedTypeSymbol> Devices { get; }

    public ImmutableArray<INamedTypeSymbol> GfpTypes { get; }

    public ImmutableArray<INamedTypeSymbol> DirectionTypes { get; }

    public ImmutableArray<INamedTypeSymbol> ScatterEntries { get; }

    public ImmutableArray<INamedTypeSymbol> DmaAddresses { get; }

    public ImmutableArray<INamedTypeSymbol> KmemCaches { get; }

    /// <summary>Option values and sink IDs that could not be used (DMA900).</summary>
    public ImmutableArray<OptionProblem> Problems { get; }

    /// <summary>True when a sink was configured through dmasafe.dma_sinks and resolved.</summary>
    public bool HasConfiguredSinks => _configuredSinks.Count > 0;

    /// <summary>The methods listed in dmasafe.dma_sinks that resolved (original definitions).</summary>
    public IEnumerable<ISymbol> ConfiguredSinks => _configuredSinks;

    /// <summary>The trees of this compilation as the block rules (DMA001/2/3/5/6) share them.</summary>
    public Flow.SharedTrees Trees { get; }

    /// <summary>What counts as generated code, which every rule skips itself (see <see cref="GeneratedCodeFilter"/>).</summary>
    public GeneratedCodeFilter Generated { get; }

    /// <summary>
    /// The names a sink can be called by in this compilation, built on first use (after CompilationStart, by whichever
    /// block action asks first) and then shared.
    /// </summary>
    public SinkCallNames CallNames(CancellationToken cancellation)
    {
        if (Volatile.Read(ref _callNames) is { } built)
        {
            return built;
        }

        lock (_callNamesLock)
        {
            return _callNames ??= SinkCallNames.Build(this, cancellation);
        }
    }

    private readonly object _callNamesLock = new();
    private SinkCallNames? _callNames;

    /// <summary>
    /// The symbols of <paramref name="compilation"/>, or null when it uses neither the DmaSafe attributes nor a
    /// configured sink: the analyzers then register nothing.
    /// </summary>
    public static DmaSymbols? TryCreate(Compilation compilation, AnalyzerOptions options)
    {
        // Every DmaSafe analyzer asks at its own CompilationStart; the first builds, the others reuse. The table is
        // weak in the compilation, so nothing outlives it; a different options object (another host) rebuilds.
        var entry = SharedByCompilation.GetValue(compilation, static _ => new SharedEntry());
        lock (entry)
        {
            if (!entry.Built || !ReferenceEquals(entry.Options, options))
            {
                entry.Symbols = Create(compilation, options);
                entry.Options = options;
                entry.Built = true;
            }

            return entry.Symbols;
        }
    }

    private static readonly ConditionalWeakTable<Compilation, SharedEntry> SharedByCompilation = new();

    private static DmaSymbols? Create(Compilation compilation, AnalyzerOptions options)
    {
        var dmaOptions = DmaOptions.Read(compilation, options);
        var symbols = new DmaSymbols(compilation, dmaOptions);
        var usesAttributes = !symbols.DmaBufferAttributes.IsEmpty
            || !symbols.DmaAlignedAttributes.IsEmpty
            || !symbols.DmaBounceOkAttributes.IsEmpty;
        return usesAttributes || symbols.HasConfiguredSinks ? symbols : null;
    }

    private sealed class SharedEntry
    {
        public bool Built;
        public AnalyzerOptions? Options;
        public DmaSymbols? Symbols;
    }

    /// <summary>True when <paramref name="type"/> is one of <paramref name="candidates"/>.</summary>
    public static bool IsOneOf(ITypeSymbol? type, ImmutableArray<INamedTypeSymbol> candidates)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="symbol"/> carries an attribute of one of <paramref name="attributeTypes"/>.</summary>
    public static bool HasAttribute(ISymbol? symbol, ImmutableArray<INamedTypeSymbol> attributeTypes)
    {
        if (symbol is null || attributeTypes.IsEmpty)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsOneOf(attribute.AttributeClass, attributeTypes))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsDmaBuffer(ISymbol? symbol) => HasAttribute(symbol, DmaBufferAttributes);

    public bool IsDmaAligned(ITypeSymbol? type) => HasAttribute(type, DmaAlignedAttributes);

    public bool IsDirection(ITypeSymbol? type) => IsOneOf(type, DirectionTypes);

    public bool IsGfp(ITypeSymbol? type) => IsOneOf(type, GfpTypes);

    public bool IsDmaAddress(ITypeSymbol? type) => IsOneOf(type, DmaAddresses);

    /// <summary><c>Machine.Kmalloc</c>/<c>Kzalloc</c> (both the sized and the generic overloads).</summary>
    public bool IsKmalloc(IMethodSymbol? method) =>
        method is not null
        && (method.Name == "Kmalloc" || method.Name == "Kzalloc")
        && IsOneOf(method.ContainingType, Machines);

    /// <summary><c>DmaDevice.MapSingle</c>.</summary>
    public bool IsMapSingle(IMethodSymbol? method) =>
        method is not null && method.Name == "MapSingle" && IsOneOf(method.ContainingType, Devices);

    /// <summary><c>DmaDevice.MapSg</c>.</summary>
    public bool IsMapSg(IMethodSymbol? method) =>
        method is not null && method.Name == "MapSg" && IsOneOf(method.ContainingType, Devices);

    /// <summary><c>DmaDevice.MappingError</c>.</summary>
    public bool IsMappingError(IMethodSymbol? method) =>
        method is not null && method.Name == "MappingError" && IsOneOf(method.ContainingType, Devices);

    /// <summary>True when <paramref name="method"/> was listed in dmasafe.dma_sinks.</summary>
    public bool IsConfiguredSink(IMethodSymbol method) => _configuredSinks.Contains(method.OriginalDefinition);

    /// <summary>
    /// The ordinals of <paramref name="method"/>'s sink parameters: those marked [DmaBuffer]; for a configured sink every
    /// pointer-like parameter (pointer, nint/nuint, IntPtr/UIntPtr, Span/ReadOnlySpan, by-ref) or, if none, the first;
    /// and the CPU address of <c>new ScatterEntry(cpuAddress, length)</c>, which the runtime hands to MapSg.
    /// </summary>
    public ImmutableArray<int> SinkParameterOrdinals(IMethodSymbol method)
    {
        var key = method.OriginalDefinition;
        if (_sinkOrdinals.TryGetValue(key, out var cached))
        {
            return cached;
        }

        return _sinkOrdinals.GetOrAdd(key, ComputeSinkOrdinals(key));
    }

    private ImmutableArray<int> ComputeSinkOrdinals(IMethodSymbol method)
    {
        var parameters = method.Parameters;
        if (parameters.IsEmpty)
        {
            return ImmutableArray<int>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<int>();
        if (!DmaBufferAttributes.IsEmpty)
        {
            foreach (var parameter in parameters)
            {
                if (IsDmaBuffer(parameter))
                {
                    result.Add(parameter.Ordinal);
                }
            }
        }

        if (result.Count == 0 && IsConfiguredSink(method))
        {
            foreach (var parameter in parameters)
            {
                if (IsPointerLike(parameter))
                {
                    result.Add(parameter.Ordinal);
                }
            }

            if (result.Count == 0)
            {
                result.Add(0);
            }
        }

        if (result.Count == 0
            && method.MethodKind == MethodKind.Constructor
            && IsOneOf(method.ContainingType, ScatterEntries)
            && parameters[0].Type.TypeKind == TypeKind.Pointer)
        {
            result.Add(0);
        }

        return result.ToImmutable();
    }

    /// <summary>Pointer, native integer, IntPtr/UIntPtr, Span/ReadOnlySpan or a by-ref parameter.</summary>
    public static bool IsPointerLike(IParameterSymbol parameter) =>
        parameter.RefKind != RefKind.None || IsPointerLike(parameter.Type);

    /// <summary>Pointer, native integer, IntPtr/UIntPtr, Span/ReadOnlySpan.</summary>
    public static bool IsPointerLike(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return true;
        }

        if (type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            return true;
        }

        return type is INamedTypeSymbol { IsGenericType: true } named
            && (named.Name == "Span" || named.Name == "ReadOnlySpan")
            && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };
    }

    /// <summary>
    /// True when [DmaBounceOk] covers <paramref name="symbol"/>: on it, or on any method, local function or type that
    /// contains it.
    /// </summary>
    public bool IsBounceOk(ISymbol? symbol)
    {
        if (DmaBounceOkAttributes.IsEmpty)
        {
            return false;
        }

        for (var current = symbol; current is not null && current.Kind != SymbolKind.Namespace; current = current.ContainingSymbol)
        {
            if (HasAttribute(current, DmaBounceOkAttributes))
            {
                return true;
            }

            if (current is IMethodSymbol { AssociatedSymbol: { } associated } && HasAttribute(associated, DmaBounceOkAttributes))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the value of <paramref name="allocation"/> goes straight into a field covered by [DmaBounceOk]
    /// (<c>_status = (byte*)machine.Kmalloc(8);</c> with <c>[DmaBounceOk] byte* _status</c>, or a field initializer).
    /// </summary>
    public bool IsStoredInBounceOkField(SemanticModel model, SyntaxNode allocation, CancellationToken cancellation)
    {
        if (DmaBounceOkAttributes.IsEmpty)
        {
            return false;
        }

        // Casts and parentheses are what an operation tree shows as conversions between the call and its store.
        var current = allocation;
        while (current.Parent is CastExpressionSyntax or ParenthesizedExpressionSyntax)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == current =>
                model.GetSymbolInfo(assignment.Left, cancellation).Symbol is IFieldSymbol field && IsBounceOk(field),
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax } declarator } =>
                model.GetDeclaredSymbol(declarator, cancellation) is IFieldSymbol field && IsBounceOk(field),
            _ => false,
        };
    }

    private static ImmutableArray<INamedTypeSymbol> Find(Compilation compilation, string metadataName)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in compilation.GetTypesByMetadataName(metadataName))
        {
            if (seen.Add(type))
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
