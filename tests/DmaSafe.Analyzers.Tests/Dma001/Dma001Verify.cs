using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using DmaSafe.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;

namespace DmaSafe.Analyzers.Tests.Dma001;

/// <summary>Shorthands for DMA001 verifier tests.</summary>
internal static class Dma001Verify
{
    public const string Usings = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Runtime.InteropServices;
        using DmaSafe;

        """;

    /// <summary>DMA001 at markup location 0 with the given field and details, plus sink calls at markup 1, 2, ….</summary>
    public static DiagnosticResult At(string field, string details, int sinkCalls = 0)
    {
        var result = AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.Diagnostic().WithLocation(0);
        for (var i = 1; i <= sinkCalls; i++)
        {
            result = result.WithLocation(i);
        }

        return result.WithArguments(field, details);
    }

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.VerifyAsync(Usings + source, expected);

    public static Task VerifyWithOptionsAsync(string editorConfig, string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerVerifier<BufferSharesCacheLineAnalyzer>.Test { TestCode = Usings + source, EditorConfig = editorConfig };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
