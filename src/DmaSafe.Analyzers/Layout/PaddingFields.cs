using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Hand-written padding: a private field named <c>_pad</c>, <c>_pad0</c>, <c>_padding1</c>, … (the names the DMA001
/// fixes generate). Nothing reads or writes it, so like compiler padding it may share a buffer's line harmlessly.
/// </summary>
internal static class PaddingFields
{
    private static readonly Regex PaddingName = new("^_*pad(ding)?_?[0-9]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Whether <paramref name="field"/> is padding by the naming convention.</summary>
    public static bool IsPadding(IFieldSymbol field) =>
        field.DeclaredAccessibility == Accessibility.Private && PaddingName.IsMatch(field.Name);

    /// <summary>The name for the <paramref name="index"/>-th generated pad field.</summary>
    public static string NameFor(int index) => "_pad" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
