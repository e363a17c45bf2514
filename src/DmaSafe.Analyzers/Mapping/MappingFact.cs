using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace DmaSafe.Analyzers.Mapping;

/// <summary>One "this variable holds an unchecked mapping result" fact: the variable, the map call, and for MapSg the scatter list.</summary>
internal sealed class MappingFact
{
    public MappingFact(ISymbol variable, IInvocationOperation map, ISymbol? entries, bool isCount)
    {
        Variable = variable;
        Map = map;
        Entries = entries;
        IsCount = isCount;
    }

    /// <summary>The local or field (of this instance, or static) the result was assigned to.</summary>
    public ISymbol Variable { get; }

    /// <summary>The MapSingle or MapSg invocation.</summary>
    public IInvocationOperation Map { get; }

    /// <summary>For MapSg: the local or parameter holding the scatter list, whose entries are unusable until the count is checked.</summary>
    public ISymbol? Entries { get; }

    /// <summary>True for a MapSg segment count (checked by comparing it), false for a MapSingle address (checked by MappingError).</summary>
    public bool IsCount { get; }

    public string CheckName => IsCount ? "the segment count" : "MappingError";
}
