using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DmaSafe.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// The floor of a syntax-first design: the same gate as <see cref="GateFloorAnalyzer"/> (text search, syntax scan), then
/// symbol lookups on the driver's shared semantic model instead of <c>GetOperation</c>: <c>GetSymbolInfo</c> of every
/// candidate call, of the names and member accesses in its arguments, and of the calls that initialise a local named
/// there. Against GateFloor this shows whether asking for symbols keeps less alive (no operation tree, no
/// syntax-to-operation map) than asking for operations on the same bodies.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SymbolFloorAnalyzer() : GatedTreeAnalyzer("EMPTY006")
{
    private protected override void ReadCandidates(SemanticModel model, List<CodeBlockScan.Candidate> candidates, CancellationToken cancellation)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Node is LocalFunctionStatementSyntax)
            {
                continue;
            }

            _ = model.GetSymbolInfo(candidate.Node, cancellation);
            var arguments = candidate.Node.ChildNodes().OfType<BaseArgumentListSyntax>().FirstOrDefault();
            if (arguments is null)
            {
                continue;
            }

            foreach (var node in arguments.DescendantNodes())
            {
                if (node is not (MemberAccessExpressionSyntax or IdentifierNameSyntax))
                {
                    continue;
                }

                var symbol = model.GetSymbolInfo(node, cancellation).Symbol;
                if (symbol is ILocalSymbol local)
                {
                    foreach (var reference in local.DeclaringSyntaxReferences)
                    {
                        if (reference.GetSyntax(cancellation) is VariableDeclaratorSyntax { Initializer.Value: { } value })
                        {
                            foreach (var call in value.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
                            {
                                _ = model.GetSymbolInfo(call, cancellation);
                            }
                        }
                    }
                }
            }
        }
    }
}
#pragma warning restore RS1041, RS1036, RS2008
