using System.Collections.Generic;
using System.Linq;
using DmaSafe.CodeFixes.Fixers;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>
/// Meta-tests every fixer must pass (STYLE.md): one fixer per rule, exported for C#, a Fix All provider that covers
/// document, project and solution, and fixable IDs that are real rule IDs.
/// </summary>
public sealed class FixerContractTests
{
    public static IEnumerable<object[]> Fixers() => new CodeFixProvider[]
    {
        new BufferSharesCacheLineCodeFixProvider(),
        new KmallocNotLineAlignedCodeFixProvider(),
        new BounceHotSpotCodeFixProvider(),
        new UncheckedMappingCodeFixProvider(),
        new UnmarkedSinkParameterCodeFixProvider(),
    }.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Fixers))]
    public void Fix_All_covers_document_project_and_solution(CodeFixProvider fixer)
    {
        var fixAll = fixer.GetFixAllProvider();
        Assert.NotNull(fixAll);
        var scopes = fixAll.GetSupportedFixAllScopes().ToList();
        Assert.Contains(FixAllScope.Document, scopes);
        Assert.Contains(FixAllScope.Project, scopes);
        Assert.Contains(FixAllScope.Solution, scopes);
    }

    [Theory]
    [MemberData(nameof(Fixers))]
    public void Each_fixer_fixes_one_rule_and_is_exported_for_CSharp(CodeFixProvider fixer)
    {
        var id = Assert.Single(fixer.FixableDiagnosticIds);
        Assert.Matches("^DMA00[12456]$", id);
        var export = fixer.GetType().GetCustomAttributes(typeof(ExportCodeFixProviderAttribute), inherit: false).Cast<ExportCodeFixProviderAttribute>().Single();
        Assert.Contains("C#", export.Languages);
    }

    [Fact]
    public void Every_fixable_rule_has_exactly_one_fixer()
    {
        var ids = Fixers().Select(f => ((CodeFixProvider)f[0]).FixableDiagnosticIds.Single()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(new[] { "DMA001", "DMA002", "DMA004", "DMA005", "DMA006" }, ids.OrderBy(i => i));
    }
}
