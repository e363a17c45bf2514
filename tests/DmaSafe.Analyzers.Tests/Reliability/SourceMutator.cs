using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>
/// Broken versions of a C# file, the way half-typed or wrong code reaches an analyzer in an IDE: every prefix ending
/// at a token, every single-token deletion, and seeded random mutants (token swaps, deleted braces, wrong types,
/// unsafe code without <c>unsafe</c>, absurd numbers, stray DMA attributes).
/// </summary>
internal static class SourceMutator
{
    private static readonly string[] WrongTypes = { "string", "object", "int", "byte*", "Missing", "DmaDevice", "long[]", "dynamic", "void", "Span<byte>", "System.Int128", "nint" };

    private static readonly string[] AbsurdNumbers = { "0", "-1", "3", "2147483648", "1 << 20", "0x7fffffff", "1.5", "'x'", "null" };

    private static readonly string[] StrayAttributes =
    {
        "[DmaSafe.DmaBuffer] ", "[DmaSafe.DmaAligned] ", "[DmaSafe.DmaBounceOk(\"fuzz\")] ",
        "[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] ",
        "[System.Runtime.InteropServices.FieldOffset(3)] ", "[System.Runtime.CompilerServices.InlineArray(0)] ",
    };

    /// <summary>The file's tokens (end-of-file excluded).</summary>
    public static IReadOnlyList<SyntaxToken> Tokens(string text) =>
        CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview)).GetRoot().DescendantTokens()
            .Where(token => !token.IsKind(SyntaxKind.EndOfFileToken) && token.Span.Length > 0)
            .ToList();

    /// <summary>Token indexes to cut at: all of them, or an even spread of <paramref name="budget"/>, always with the first and last.</summary>
    public static IEnumerable<int> Positions(int tokenCount, int budget)
    {
        if (budget >= tokenCount)
        {
            return Enumerable.Range(0, tokenCount);
        }

        return Enumerable.Range(0, budget).Select(i => (int)((long)i * (tokenCount - 1) / Math.Max(1, budget - 1))).Distinct();
    }

    public static string PrefixThrough(string text, SyntaxToken token) => text.Substring(0, token.Span.End);

    public static string WithoutToken(string text, SyntaxToken token) => text.Remove(token.Span.Start, token.Span.Length);

    /// <summary>One to three random edits of <paramref name="text"/>, described in <paramref name="edits"/>.</summary>
    public static string Mutate(string text, Random random, out string edits)
    {
        var applied = new List<string>();
        for (var n = 1 + random.Next(3); n > 0; n--)
        {
            text = MutateOnce(text, random, applied);
        }

        edits = string.Join("; ", applied);
        return text;
    }

    private static string MutateOnce(string text, Random random, List<string> applied)
    {
        var tokens = Tokens(text);
        if (tokens.Count < 2)
        {
            return text;
        }

        switch (random.Next(7))
        {
            case 0:
            {
                var i = random.Next(tokens.Count - 1);
                var (a, b) = (tokens[i], tokens[i + 1]);
                applied.Add($"swapped '{a.Text}' and '{b.Text}' at {a.SpanStart}");
                return new StringBuilder(text)
                    .Remove(b.SpanStart, b.Span.Length).Insert(b.SpanStart, a.Text)
                    .Remove(a.SpanStart, a.Span.Length).Insert(a.SpanStart, b.Text)
                    .ToString();
            }

            case 1:
            {
                var braces = tokens.Where(t => t.IsKind(SyntaxKind.OpenBraceToken) || t.IsKind(SyntaxKind.CloseBraceToken)).ToList();
                if (braces.Count == 0)
                {
                    return text;
                }

                var brace = braces[random.Next(braces.Count)];
                applied.Add($"deleted '{brace.Text}' at {brace.SpanStart}");
                return WithoutToken(text, brace);
            }

            case 2:
            {
                var types = tokens.Where(t => t.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.TypeSyntax && (t.IsKind(SyntaxKind.IdentifierToken) || SyntaxFacts.IsPredefinedType(t.Kind()))).ToList();
                if (types.Count == 0)
                {
                    return text;
                }

                var type = types[random.Next(types.Count)];
                var wrong = WrongTypes[random.Next(WrongTypes.Length)];
                applied.Add($"type '{type.Text}' at {type.SpanStart} became '{wrong}'");
                return text.Remove(type.SpanStart, type.Span.Length).Insert(type.SpanStart, wrong);
            }

            case 3:
            {
                var unsafeTokens = tokens.Where(t => t.IsKind(SyntaxKind.UnsafeKeyword)).ToList();
                if (unsafeTokens.Count == 0)
                {
                    return text;
                }

                var all = random.Next(2) == 0;
                applied.Add(all ? "removed every 'unsafe'" : $"removed 'unsafe' at {unsafeTokens[0].SpanStart}");
                foreach (var token in (all ? unsafeTokens : unsafeTokens.Take(1)).OrderByDescending(t => t.SpanStart))
                {
                    text = WithoutToken(text, token);
                }

                return text;
            }

            case 4:
            {
                var numbers = tokens.Where(t => t.IsKind(SyntaxKind.NumericLiteralToken)).ToList();
                if (numbers.Count == 0)
                {
                    return text;
                }

                var number = numbers[random.Next(numbers.Count)];
                var absurd = AbsurdNumbers[random.Next(AbsurdNumbers.Length)];
                applied.Add($"number {number.Text} at {number.SpanStart} became {absurd}");
                return text.Remove(number.SpanStart, number.Span.Length).Insert(number.SpanStart, absurd);
            }

            case 5:
            {
                var members = tokens.Where(t => t.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax member && member.GetFirstToken() == t).ToList();
                if (members.Count == 0)
                {
                    return text;
                }

                var at = members[random.Next(members.Count)];
                var attribute = StrayAttributes[random.Next(StrayAttributes.Length)];
                applied.Add($"inserted {attribute.Trim()} at {at.SpanStart}");
                return text.Insert(at.SpanStart, attribute);
            }

            default:
            {
                var token = tokens[random.Next(tokens.Count)];
                applied.Add($"duplicated '{token.Text}' at {token.SpanStart}");
                return text.Insert(token.SpanStart, token.Text + " ");
            }
        }
    }
}
