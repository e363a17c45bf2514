using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>Compiles test sources against the .NET 10 reference assemblies (offline) and emits them.</summary>
internal static class TestCompiler
{
    public static CSharpCompilation Compile(string source, string assemblyName, IEnumerable<MetadataReference>? extraReferences = null)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().ToList();
        if (extraReferences is not null)
        {
            references.AddRange(extraReferences);
        }

        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { tree },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Disable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("test source does not compile:\n" + string.Join("\n", errors));
        }

        return compilation;
    }

    public static byte[] Emit(Compilation compilation, bool metadataOnly = false)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream, options: new EmitOptions(metadataOnly: metadataOnly, includePrivateMembers: !metadataOnly));
        if (!result.Success)
        {
            throw new InvalidOperationException("emit failed:\n" + string.Join("\n", result.Diagnostics));
        }

        return stream.ToArray();
    }
}
