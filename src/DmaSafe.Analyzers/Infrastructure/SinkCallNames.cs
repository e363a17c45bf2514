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
        AttributeNames = attributeNames.ToArray();

        // What a tree's text must contain to hold a call the block scan would pick: a sink or map name, or (for a
        // local [DmaBuffer] helper) the attribute's name or an alias of it.
        var textNames = new HashSet<string>(methods, System.StringComparer.Ordinal) { "MapSingle", "MapSg" };
        textNames.UnionWith(constructorTypes);
        textNames.UnionWith(attributeNames);
        _textNames = textNames.ToArray();
    }

    /// <summary>
    /// What an attribute list must spell to apply [DmaBuffer]: its name and every alias of it, each also without an
    /// <c>Attribute</c> suffix (<c>[B]</c> finds an alias named <c>BAttribute</c>). A text search for these finds every
    /// place the attribute can be applied (inside longer words too).
    /// </summary>
    public IReadOnlyList<string> AttributeNames { get; }

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
        if (DelegatesMaySink || MaySpellNamesWithEscapes(text))
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

        if (HasConstructorSinks)
        {
            foreach (var keyword in KeywordCalls)
            {
                if (KeywordCallText.HasCallWithArguments(text, keyword))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Where in <paramref name="text"/> (a whole tree) a call the block scan would pick can be spelled: every occurrence
    /// of a sink, map, constructor-type or attribute name (inside longer words and comments too), and, when some
    /// constructor is a sink, every keyword call with arguments (<c>new(</c>, <c>base(</c>, <c>this(</c>); sorted. Null
    /// when the text cannot narrow the search: any invocation may be a delegate sink call, or a Unicode escape could
    /// spell a name.
    /// </summary>
    public List<int>? NamePositions(string text)
    {
        if (DelegatesMaySink || MaySpellNamesWithEscapes(text))
        {
            return null;
        }

        var positions = new List<int>();
        foreach (var name in _textNames)
        {
            for (var at = text.IndexOf(name, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, System.StringComparison.Ordinal))
            {
                positions.Add(at);
            }
        }

        if (HasConstructorSinks)
        {
            foreach (var keyword in KeywordCalls)
            {
                for (var at = KeywordCallText.NextCall(text, keyword, 0); at >= 0; at = KeywordCallText.NextCall(text, keyword, at + keyword.Length))
                {
                    positions.Add(at);
                }
            }
        }

        positions.Sort();
        return positions;
    }

    private static readonly string[] KeywordCalls = { "new", "base", "this" };

    /// <summary>
    /// True when <paramref name="text"/> holds a Unicode escape, which can spell an identifier (<c>Dma\u0042uffer</c>),
    /// so no text search for a name can rule the text out.
    /// </summary>
    public static bool MaySpellNamesWithEscapes(string text) => text.IndexOf("\\u", System.StringComparison.OrdinalIgnoreCase) >= 0;

    public static SinkCallNames Build(DmaSymbols symbols, CancellationToken cancellation)
    {
        var methods = new HashSet<string>(System.StringComparer.Ordinal);
        var constructorTypes = new HashSet<string>(System.StringComparer.Ordinal);
        var delegatesMaySink = false;

        foreach (var sink in symbols.ConfiguredSinks)
        {
            if (sink is IMethodSymbol method)
            {
                MetadataSinkNames.Add(method, methods, constructorTypes, ref delegatesMaySink);
            }
        }

        foreach (var scatterEntry in symbols.ScatterEntries)
        {
            constructorTypes.Add(scatterEntry.Name);
        }

        // Aliases first: a tree can only declare a [DmaBuffer] parameter if it names the attribute or one of its aliases.
        var aliases = UsingAliases(symbols.Compilation, cancellation);
        var attributeNames = new HashSet<string>(System.StringComparer.Ordinal) { "DmaBuffer" };
        Close(aliases, attributeNames, static (names, target) => target is "DmaBufferAttribute" || names.Contains(target));
        foreach (var name in attributeNames.ToArray())
        {
            if (name.Length > "Attribute".Length && name.EndsWith("Attribute", System.StringComparison.Ordinal))
            {
                attributeNames.Add(name.Substring(0, name.Length - "Attribute".Length));
            }
        }

        if (!symbols.DmaBufferAttributes.IsEmpty)
        {
            foreach (var assembly in AssembliesSeeingTheAttribute(symbols))
            {
                MetadataSinkNames.Of(assembly, symbols, cancellation).AddTo(methods, constructorTypes, ref delegatesMaySink);
            }

            foreach (var tree in symbols.Compilation.SyntaxTrees)
            {
                var text = tree.GetText(cancellation).ToString();
                if (MaySpellNamesWithEscapes(text))
                {
                    // An escape may spell the attribute's name anywhere: read every declaration.
                    AddSourceSinks(tree.GetRoot(cancellation), methods, constructorTypes, ref delegatesMaySink);
                    continue;
                }

                foreach (var name in attributeNames)
                {
                    for (var at = text.IndexOf(name, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, System.StringComparison.Ordinal))
                    {
                        AddSourceSinkAround(tree.GetRoot(cancellation).FindToken(at), methods, constructorTypes, ref delegatesMaySink);
                    }
                }
            }
        }

        Close(aliases, constructorTypes, static (names, target) => names.Contains(target));
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

    /// <summary>
    /// Source declarations with an attribute on a parameter, judged from syntax alone (any attribute counts: binding
    /// attributes here would order this work before the compiler's). Member bodies are not entered; local functions are
    /// found by the block scan itself.
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

    /// <summary>
    /// The declaration whose parameter list holds <paramref name="token"/> (the attribute's name in
    /// <c>[DmaBuffer] byte* p</c>), judged as <see cref="AddSourceSinks"/> judges it. A parameter of the attribute's
    /// type can only be marked by an attribute that names it, so these declarations are all the walk would find that
    /// can be sinks.
    /// </summary>
    private static void AddSourceSinkAround(SyntaxToken token, HashSet<string> methods, HashSet<string> constructorTypes, ref bool delegatesMaySink)
    {
        for (var node = token.Parent; node is not null; node = node.Parent)
        {
            if (node is ParameterListSyntax parameters)
            {
                switch (parameters.Parent)
                {
                    case MethodDeclarationSyntax method when HasAttributedParameter(parameters):
                        methods.Add(method.Identifier.ValueText);
                        break;
                    case ConstructorDeclarationSyntax constructor when HasAttributedParameter(parameters):
                        constructorTypes.Add(constructor.Identifier.ValueText);
                        break;
                    case TypeDeclarationSyntax type when HasAttributedParameter(parameters):
                        constructorTypes.Add(type.Identifier.ValueText);
                        break;
                    case DelegateDeclarationSyntax when HasAttributedParameter(parameters):
                        delegatesMaySink = true;
                        break;
                }

                return;
            }

            if (node is MemberDeclarationSyntax or StatementSyntax)
            {
                return;
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
    /// Every using alias of the compilation with the simple name it stands for: <c>using E = DmaSafe.ScatterEntry;</c>
    /// makes <c>new E(...)</c> a constructor call of ScatterEntry, and <c>using B = DmaSafe.DmaBufferAttribute;</c> makes
    /// <c>[B]</c> the attribute. Only the usings of compilation units and namespaces are read, never a type's members.
    /// </summary>
    private static List<(string Alias, string Target)> UsingAliases(Compilation compilation, CancellationToken cancellation)
    {
        var aliases = new List<(string Alias, string Target)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot(cancellation) is CompilationUnitSyntax unit)
            {
                AddAliases(unit.Usings, unit.Members, aliases);
            }
        }

        return aliases;
    }

    private static void AddAliases(SyntaxList<UsingDirectiveSyntax> usings, SyntaxList<MemberDeclarationSyntax> members, List<(string Alias, string Target)> aliases)
    {
        foreach (var directive in usings)
        {
            if (directive.Alias is { } alias && SyntaxNames.RightmostName(directive.NamespaceOrType) is { } target)
            {
                aliases.Add((alias.Name.Identifier.ValueText, target));
            }
        }

        foreach (var member in members)
        {
            if (member is BaseNamespaceDeclarationSyntax nested)
            {
                AddAliases(nested.Usings, nested.Members, aliases);
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="names"/> every alias whose target is in it (or <paramref name="isName"/> says so),
    /// repeating because an alias may name a type through another (global) alias.
    /// </summary>
    private static void Close(List<(string Alias, string Target)> aliases, HashSet<string> names, System.Func<HashSet<string>, string, bool> isName)
    {
        bool added;
        do
        {
            added = false;
            foreach (var (alias, target) in aliases)
            {
                if (isName(names, target) && names.Add(alias))
                {
                    added = true;
                }
            }
        }
        while (added);
    }
}
