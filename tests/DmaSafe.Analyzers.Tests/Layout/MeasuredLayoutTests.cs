using System.Linq;
using DmaSafe.Analyzers.Layout;
using Xunit;

namespace DmaSafe.Analyzers.Tests.Layout;

/// <summary>The engine against the running runtime, for every row of the table, from source and from metadata.</summary>
public sealed class MeasuredLayoutTests
{
    private static LayoutTableFixture Table => LayoutTableFixture.Instance;

    [Theory]
    [MemberData(nameof(LayoutRows.Known), MemberType = typeof(LayoutRows))]
    public void Source_layout_matches_the_runtime(string id) => AssertMatchesRuntime(LayoutRows.Get(id), Table.FromSource(LayoutRows.Get(id)));

    [Theory]
    [MemberData(nameof(LayoutRows.KnownFromMetadataRows), MemberType = typeof(LayoutRows))]
    public void Metadata_layout_matches_the_runtime(string id) => AssertMatchesRuntime(LayoutRows.Get(id), Table.FromMetadata(LayoutRows.Get(id)));

    [Theory]
    [MemberData(nameof(LayoutRows.WithLiterals), MemberType = typeof(LayoutRows))]
    public void Runtime_still_measures_the_recorded_numbers(string id)
    {
        // Guards the probe itself: if these drift, the runtime or the harness changed, not the engine.
        var row = LayoutRows.Get(id);
        var measured = Table.Measure(row);
        var engine = Table.FromSource(row);
        Assert.Equal(row.Size, measured.Size);
        Assert.Equal(row.Offsets, engine.Fields.Select(f => measured.Offsets[f.Field.Name]).ToArray());
        if (Table.MeasureAlignment(row) is { } alignment)
        {
            Assert.Equal(row.Align, alignment);
        }
    }

    [Theory]
    [MemberData(nameof(LayoutRows.Unknowns), MemberType = typeof(LayoutRows))]
    public void Unknowable_layouts_say_so_with_a_reason(string id)
    {
        var row = LayoutRows.Get(id);
        var layouts = row.KnownFromMetadata ? new[] { Table.FromSource(row) } : new[] { Table.FromSource(row), Table.FromMetadata(row) };
        foreach (var layout in layouts)
        {
            Assert.False(layout.IsKnown, layout.ToString());
            Assert.False(string.IsNullOrWhiteSpace(layout.UnknownReason));
            Assert.Equal(0, layout.Size);
            Assert.Empty(layout.Fields);
        }
    }

    private static void AssertMatchesRuntime(LayoutRow row, TypeLayout layout)
    {
        Assert.True(layout.IsKnown, layout.ToString());
        var measured = Table.Measure(row);
        Assert.Equal(measured.Size, layout.Size);
        Assert.Equal(measured.Offsets.Count, layout.Fields.Length);
        foreach (var field in layout.Fields)
        {
            Assert.True(measured.Offsets.TryGetValue(field.Field.Name, out var offset), $"runtime has no field {field.Field.Name}");
            Assert.True(offset == field.Offset, $"{row.Id}.{field.Field.Name}: engine {field.Offset}, runtime {offset}");
        }

        if (Table.MeasureAlignment(row) is { } alignment)
        {
            Assert.Equal(alignment, layout.Alignment);
        }
    }
}
