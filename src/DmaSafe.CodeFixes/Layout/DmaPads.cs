using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace DmaSafe.CodeFixes.Layout;

/// <summary>
/// The padding fields the DMA001 fix writes (<c>private fixed byte _dmaPad0[60];</c> under a one-line comment) and
/// how it recognises its own earlier pads, which it recomputes rather than stacks.
/// </summary>
internal static class DmaPads
{
    private static readonly Regex PadName = new("^_dmaPad[0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>Whether a field is a pad an earlier DMA001 fix wrote: a <c>fixed byte _dmaPadN[…]</c>.</summary>
    public static bool IsPad(IFieldSymbol field) =>
        field.IsFixedSizeBuffer
        && PadName.IsMatch(field.Name)
        && field.Type is IPointerTypeSymbol { PointedAtType.SpecialType: SpecialType.System_Byte };

    /// <summary>Whether a member declaration is such a pad.</summary>
    public static bool IsPad(MemberDeclarationSyntax member) =>
        member is FieldDeclarationSyntax field
        && field.Modifiers.Any(SyntaxKind.FixedKeyword)
        && field.Declaration.Type is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.ByteKeyword }
        && field.Declaration.Variables.Count == 1
        && PadName.IsMatch(field.Declaration.Variables[0].Identifier.ValueText);

    /// <summary>A pad of <paramref name="bytes"/> named <c>_dmaPad&lt;index&gt;</c>, its comment naming the field it protects.</summary>
    public static FieldDeclarationSyntax Create(int index, int bytes, string protectedField, int line, bool needsUnsafe)
    {
        var modifiers = needsUnsafe ? "private unsafe fixed" : "private fixed";
        var text = string.Format(
            CultureInfo.InvariantCulture,
            "// Keeps '{0}' on {1}-byte DMA cache lines of its own (DMA001): nothing else may share them.\n{2} byte _dmaPad{3}[{4}];\n",
            protectedField,
            line,
            modifiers,
            index,
            bytes);
        return ((FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(text)!).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
