using System.Globalization;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>Small formatting helpers for messages.</summary>
internal static class Describe
{
    /// <summary>The 1-based line an operation starts on: "line 12".</summary>
    public static string Line(IOperation operation) =>
        "line " + (operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1).ToString(CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
