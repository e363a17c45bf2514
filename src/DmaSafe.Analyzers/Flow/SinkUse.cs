using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Flow;

/// <summary>
/// One argument that hands memory to a DMA sink, with the path of that memory and the constant direction of the call.
/// Syntax and symbols only, so it reads the same whether the block's operations were traced or syntax decided it.
/// </summary>
internal sealed class SinkUse
{
    public SinkUse(SyntaxNode call, IMethodSymbol sink, IParameterSymbol? parameter, SyntaxNode argument, AccessPath path, MappedDirection? direction)
    {
        Call = call;
        Sink = sink;
        Parameter = parameter;
        Argument = argument;
        Path = path;
        Direction = direction;
    }

    /// <summary>The invocation or object creation that calls the sink.</summary>
    public SyntaxNode Call { get; }

    /// <summary>The sink method (or constructor).</summary>
    public IMethodSymbol Sink { get; }

    /// <summary>The sink parameter this argument binds to.</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>The argument carrying the memory (its <c>ArgumentSyntax</c>, as an argument operation's syntax is).</summary>
    public SyntaxNode Argument { get; }

    /// <summary>Where the memory comes from.</summary>
    public AccessPath Path { get; }

    /// <summary>The call's DmaDirection argument when it is a constant; null when absent or not constant.</summary>
    public MappedDirection? Direction { get; }

    /// <summary>The sink's name for messages: <c>DmaDevice.MapSingle</c>.</summary>
    public string SinkDisplayName =>
        Sink.MethodKind == MethodKind.Constructor
            ? "new " + Sink.ContainingType.Name
            : Sink.ContainingType.Name + "." + Sink.Name;
}

/// <summary>The values of DmaSafe.DmaDirection (Linux's enum dma_data_direction), for analyzers that cannot reference the runtime.</summary>
internal enum MappedDirection
{
    Bidirectional = 0,
    ToDevice = 1,
    FromDevice = 2,
    None = 3,
}
