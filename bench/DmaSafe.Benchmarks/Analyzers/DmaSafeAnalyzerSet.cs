using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using DmaSafe.Analyzers.Rules;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// Every analyzer the DmaSafe.Analyzers assembly ships (found by its [DiagnosticAnalyzer] attribute, as the compiler
/// finds them), so a rule added later is benchmarked without touching this file.
/// </summary>
internal static class DmaSafeAnalyzerSet
{
    public static ImmutableArray<DiagnosticAnalyzer> Create()
    {
        var analyzers = typeof(BufferSharesCacheLineAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        if (analyzers.IsEmpty)
        {
            throw new InvalidOperationException($"No [DiagnosticAnalyzer] types found in {typeof(BufferSharesCacheLineAnalyzer).Assembly.FullName}.");
        }

        return analyzers;
    }
}
