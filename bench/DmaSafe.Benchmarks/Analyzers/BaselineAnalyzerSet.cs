using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// Another build of DmaSafe.Analyzers (e.g. the commit before a change), loaded beside this one so both run in the same
/// process, interleaved: on a shared machine only a same-process, same-rounds comparison resolves differences of tens of
/// milliseconds. The copy gets its own load context (its statics are its own); Roslyn comes from the default context.
/// </summary>
internal static class BaselineAnalyzerSet
{
    public static ImmutableArray<DiagnosticAnalyzer> Load(string assemblyPath)
    {
        var path = Path.GetFullPath(assemblyPath);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--baseline: no analyzer assembly at '{path}'.");
        }

        var context = new AssemblyLoadContext("DmaSafe.Analyzers baseline " + path);
        var assembly = context.LoadFromAssemblyPath(path);
        var analyzers = assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        if (analyzers.IsEmpty)
        {
            throw new ArgumentException($"--baseline: '{path}' holds no [DiagnosticAnalyzer] types.");
        }

        return analyzers;
    }
}
