using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// The names under which a DMA sink can be called in this compilation, so a code block can be judged from its syntax
/// before anything in it is bound: the methods with a [DmaBuffer] parameter (in source, and in the referenced assemblies
/// that can see the attribute), the configured sinks, and the types whose constructors are sinks (ScatterEntry, constructors
/// with [DmaBuffer] parameters) with every using alias that names them. The sets err on the side of "maybe": a name in
/// the set only costs binding one body, a name missing from it would lose a diagnostic.
/// </summary>
internal sealed class SinkCallNames
{
    private readonly HashSet<string> _methods;
    private readonly HashSet<string> _constructorTypes;

    private readonly string[] _textNames;

    private SinkCallNames(HashSet<string> methods, HashSet<string> constructorTypes, HashSet<string> attributeNames, bool delegatesMaySink)
    {
        _methods = methods;
        _constructorTypes = constructorTypes;
        DelegatesMaySink = delegatesMaySink;

        // What a tree's text must contain to hold a call the block scan would pick: a sink or map name, or (for a
        // local [DmaBuffer] helper) the attribute's name or an alias of it.
        var textNames = new HashSet<string>(methods, System.StringComparer.Ordinal) { "MapSingle", "MapSg" };
        textNames.UnionWith(constructorTypes);
        textNames.UnionWith(attributeNames);
        _textNames = textNames.ToArray();
    }

    /// <summary>
    /// A delegate type has a [DmaBuffer] parameter: its Invoke is a sink, and a delegate is called under any variable's
    /// name, so every invocation may be a sink call.
    /// </summary>
    public bool DelegatesMaySink { get; }

    /// <summary>Some constructor is a sink: target-typed <c>new(...)</c> and <c>base(...)</c>/<c>this(...)</c> may call it.</summary>
    public bool HasConstructorSinks => _constructorTypes.Count > 0;

    /// <summary>True when a call to a method named <paramref name="name"/> may be a sink call.</summary>
    public bool IsMethodName(string name) => _methods.Contains(name);

    /// <summary>True when <c>new <paramref name="typeName"/>(...)</c> may call a sink constructor.</summary>
    public bool IsConstructorTypeName(string typeName) => _constructorTypes.Contains(typeName);

    /// <summary>
    /// False only when <paramref name="text"/> (a whole tree) cannot hold a call the block scan would pick, so none of
    /// its blocks need scanning. Errs towards true: any occurrence of a name counts, inside a longer word or a comment
    /// too, and a Unicode escape (which could spell a name) makes the answer true.
    /// </summary>
    public bool MayBeCalledIn(string text)
    {
        if (DelegatesMaySink || text.IndexOf("\\u", System.StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        foreach (var name in _textNames)
        {
            if (text.IndexOf(name, System.StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return HasConstructorSinks
            && (KeywordCallText.HasCallWithArguments(text, "new")
                || KeywordCallText.HasCallWithArguments(text, "base")
                || KeywordCallText.HasCallWithArguments(text, "this"));
    }

    public static SinkCallNames Build(DmaSymbols symbols, CancellationToken cancellation)
    {
        var methods = new HashSet<string>(System.StringComparer.Ordinal);
        var constructorTypes = new HashSet<string>(System.StringComparer.Ordinal);
        var delegatesMaySink = false;

        void AddSink(IMethodSymbol method)
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

        foreach (var sink in symbols.ConfiguredSinks)
        {
            if (sink is IMethodSymbol method)
            {
                AddSink(method);
            }
        }

        foreach (var scatterEntry in symbols.ScatterEntries)
        {
            constructorTypes.Add(scatterEntry.Name);
        }

        if (!symbols.DmaBufferAttributes.IsEmpty)
        {
            foreach (var assembly in AssembliesSeeingTheAttribute(symbols))
            {
                AddMetadataSinks(assembly.GlobalNamespace, symbols, AddSink, cancellation);
            }

            foreach (var tree in symbols.Compilation.SyntaxTrees)
            {
                AddSourceSinks(tree.GetRoot(cancellation), methods, constructorTypes, ref delegatesMaySink);
            }
        }

        var attributeNames = new HashSet<string>(System.StringComparer.Ordinal) { "DmaBuffer" };
        AddAliases(symbols.Compilation, constructorTypes, attributeNames, cancellation);
        return new SinkCallNames(methods, constructorTypes, attributeNames, delegatesMaySink);
    }

    /// <summary>The referenced assemblies that declare a DmaBuffer attribute or reference one that does.</summary>
    private static IEnumerable<IAssemblySymbol> AssembliesSeeingTheAttribute(DmaSymbols symbols)
    {
        var declaring = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var attribute in symbols.DmaBufferAttributes)
        {
            declaring.Add(attribute.ContainingAssembly.Identity.Name);
        }

        var compilation = symbols.Compilation;
        foreach (var reference in compilation.References)
        {
            if (compilation.GetAssemblyOrModuleSymbol(reference) is not IAssemblySymbol assembly)
            {
                continue;
            }

            if (declaring.Contains(assembly.Identity.Name)
                || assembly.Modules.Any(module => module.ReferencedAssemblies.Any(identity => declaring.Contains(identity.Name))))
            {
                yield return assembly;
            }
        }
    }

    private static void AddMetadataSinks(INamespaceOrTypeSymbol container, DmaSymbols symbols, System.Action<IMethodSymbol> addSink, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        foreach (var member in container.GetMembers())
        {
            switch (member)
            {
                case INamespaceOrTypeSymbol nested:
                    AddMetadataSinks(nested, symbols, addSink, cancellation);
                    break;
                case IMethodSymbol method when HasDmaBufferParameter(method, symbols):
                    addSink(method);
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

    /// <summary>
    /// Source declarations with an attribute on a parameter, judged from syntax alone (any attribute counts: an alias may
    /// rename DmaBuffer, and binding attributes here would order this work before the compiler's). Member bodies are not
    /// entered; local functions are found by the block scan itself.
    /// </summary>
    private static void AddSourceSinks(SyntaxNode root, HashSet<string> methods, HashSet<string> constructorTypes, ref bool delegatesMaySink)
    {
        foreach (var node in root.DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
        {
            switch (node)
            {
                case MethodDeclarationSyntax method when HasAttributedParameter(method.ParameterList):
                    methods.Add(method.Identifier.ValueText);
                    break;
                case ConstructorDeclarationSyntax constructor when HasAttributedParameter(constructor.ParameterList):
                    constructorTypes.Add(constructor.Identifier.ValueText);
                    break;
                case TypeDeclarationSyntax type when HasAttributedParameter(type.ParameterList):
                    constructorTypes.Add(type.Identifier.ValueText);
                    break;
                case DelegateDeclarationSyntax @delegate when HasAttributedParameter(@delegate.ParameterList):
                    delegatesMaySink = true;
                    break;
            }
        }
    }

    public static bool HasAttributedParameter(BaseParameterListSyntax? parameters)
    {
        if (parameters is null)
        {
            return false;
        }

        foreach (var parameter in parameters.Parameters)
        {
            if (parameter.AttributeLists.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>using E = DmaSafe.ScatterEntry;</c> makes <c>new E(...)</c> a constructor call of ScatterEntry, and
    /// <c>using B = DmaSafe.DmaBufferAttribute;</c> makes <c>[B]</c> the attribute.
    /// </summary>
    private static void AddAliases(Compilation compilation, HashSet<string> constructorTypes, HashSet<string> attributeNames, CancellationToken cancellation)
    {
        var aliases = new List<(string Alias, string Target)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var node in tree.GetRoot(cancellation).DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax))
            {
                if (node is UsingDirectiveSyntax { Alias: { } alias } directive && SyntaxNames.RightmostName(directive.NamespaceOrType) is { } target)
                {
                    aliases.Add((alias.Name.Identifier.ValueText, target));
                }
            }
        }

        // An alias may name a type through another (global) alias: repeat until nothing new is learned.
        bool added;
        do
        {
            added = false;
            foreach (var (alias, target) in aliases)
            {
                if (constructorTypes.Contains(target) && constructorTypes.Add(alias))
                {
                    added = true;
                }

                if ((target is "DmaBufferAttribute" || attributeNames.Contains(target)) && attributeNames.Add(alias))
                {
                    added = true;
                }
            }
        }
        while (added);
    }
}
