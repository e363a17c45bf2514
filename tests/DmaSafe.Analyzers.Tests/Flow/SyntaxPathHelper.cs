using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Flow;

/// <summary>
/// Reads a snippet's blocks twice, once with the syntax path (bodies syntax decides skip the operation tree) and once
/// with the operation path alone, and describes every block and sink use in full, so the two can be compared.
/// </summary>
internal static class SyntaxPathHelper
{
    public sealed record Reading(IReadOnlyList<string> Blocks, int DecidedBySyntax);

    public static (Reading Syntax, Reading Operations) ReadBothWays(string source)
    {
        var compilation = TestReferences.Compile(TestReferences.All, source);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var tree = compilation.SyntaxTrees.Single();
        return (Read(compilation, tree, syntaxPath: true), Read(compilation, tree, syntaxPath: false));
    }

    private static Reading Read(Compilation compilation, SyntaxTree tree, bool syntaxPath)
    {
        // Fresh symbols and model each time: nothing bound by one reading helps the other.
        var symbols = DmaSymbols.TryCreate(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
        Assert.NotNull(symbols);
        var model = compilation.GetSemanticModel(tree);
        var blocks = CodeBlockFindings.Read(model, symbols!, CancellationToken.None, syntaxPath);
        return new Reading(blocks.Select(Describe).ToList(), blocks.Count(b => b.DecidedBySyntax));
    }

    private static string Describe(CodeBlockFindings block) =>
        $"block {block.OwningSymbol?.ToDisplayString() ?? "-"} map={block.HasMapCall}\n"
        + string.Concat(block.SinkUses.Select(u => "  " + Describe(u) + "\n"));

    /// <summary>Everything a rule can read from a sink use.</summary>
    public static string Describe(SinkUse use)
    {
        var path = use.Path;
        var text = $"{use.Call.Span} {use.SinkDisplayName} p{use.Parameter?.Ordinal} arg {use.Argument.Span} {use.Direction?.ToString() ?? "-"}: "
            + $"{path.RootKind}:{path} root={path.RootSymbol?.ToDisplayString() ?? "-"} pointer={path.RootIsPointer} "
            + $"offset={path.HasOffset} type={path.PointedAtType?.ToDisplayString() ?? "-"}";
        if (path.Kmalloc is { } kmalloc)
        {
            // The constants the rules read: the size (first parameter) and the Gfp flags.
            text += $" kmalloc {kmalloc.Syntax.Span} {kmalloc.Method.ToDisplayString()} "
                + string.Join(",", kmalloc.Arguments
                    .Where(a => a.Parameter is { } p && (p.Ordinal == 0 || p.Type.Name == "Gfp"))
                    .Select(a => $"{a.Parameter!.Name}={(a.Constant.HasValue ? Number(a.Constant.Value) : "?")}"));
        }

        return text;
    }

    private static string Number(object? value) => value switch
    {
        null => "null",
        string s => s,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
    };
}
