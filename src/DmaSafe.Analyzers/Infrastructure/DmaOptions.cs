using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Infrastructure;

/// <summary>
/// The dmasafe.* options of one compilation, read once at compilation start from .globalconfig and every tree's
/// .editorconfig section. A value the analyzers cannot use falls back to the default and is remembered as a
/// <see cref="OptionProblem"/>, which DMA900 reports once per compilation.
/// </summary>
internal sealed class DmaOptions
{
    /// <summary>The coherency granule (<c>ARCH_DMA_MINALIGN</c>) the analyzers assume.</summary>
    public const string DmaMinAlignKey = "dmasafe.dma_minalign";

    /// <summary>The kmalloc minimum alignment (<c>ARCH_KMALLOC_MINALIGN</c>) DMA002 assumes.</summary>
    public const string KmallocMinAlignKey = "dmasafe.kmalloc_minalign";

    /// <summary>Extra DMA sinks as documentation-comment IDs, comma separated.</summary>
    public const string DmaSinksKey = "dmasafe.dma_sinks";

    /// <summary>arm64's ARCH_DMA_MINALIGN: some cores have 128-byte lines above the point of coherency.</summary>
    public const int DefaultDmaMinAlign = 128;

    /// <summary>ARCH_KMALLOC_MINALIGN on arm64 since Linux 6.5 (bouncing made the smaller classes safe).</summary>
    public const int DefaultKmallocMinAlign = 8;

    // A DMA line below 16 bytes or above a 4 KiB page exists on no machine we model; such values are typos (0, 3, 1<<20).
    private const int SmallestDmaMinAlign = 16;
    private const int LargestDmaMinAlign = 4096;

    // kmalloc never aligns below a pointer, and a minimum above the page size would make every class a page.
    private const int SmallestKmallocMinAlign = 8;
    private const int LargestKmallocMinAlign = 4096;

    private readonly Dictionary<SyntaxTree, int> _dmaMinAlignByTree;
    private readonly Dictionary<SyntaxTree, int> _kmallocMinAlignByTree;

    private DmaOptions(
        int globalDmaMinAlign,
        int globalKmallocMinAlign,
        Dictionary<SyntaxTree, int> dmaMinAlignByTree,
        Dictionary<SyntaxTree, int> kmallocMinAlignByTree,
        ImmutableArray<string> sinkIds,
        ImmutableArray<OptionProblem> problems)
    {
        GlobalDmaMinAlign = globalDmaMinAlign;
        GlobalKmallocMinAlign = globalKmallocMinAlign;
        _dmaMinAlignByTree = dmaMinAlignByTree;
        _kmallocMinAlignByTree = kmallocMinAlignByTree;
        SinkIds = sinkIds;
        Problems = problems;
    }

    /// <summary>The DMA line from .globalconfig (or the default); trees may override it in .editorconfig.</summary>
    public int GlobalDmaMinAlign { get; }

    /// <summary>The kmalloc minimum alignment from .globalconfig (or the default).</summary>
    public int GlobalKmallocMinAlign { get; }

    /// <summary>Every documentation-comment ID listed in any dmasafe.dma_sinks value, without duplicates.</summary>
    public ImmutableArray<string> SinkIds { get; }

    /// <summary>Values that could not be used, one entry per distinct (key, value).</summary>
    public ImmutableArray<OptionProblem> Problems { get; }

    /// <summary>The DMA line for code in <paramref name="tree"/> (null: the global value).</summary>
    public int DmaMinAlign(SyntaxTree? tree) =>
        tree is not null && _dmaMinAlignByTree.TryGetValue(tree, out var value) ? value : GlobalDmaMinAlign;

    /// <summary>The kmalloc minimum alignment for code in <paramref name="tree"/> (null: the global value).</summary>
    public int KmallocMinAlign(SyntaxTree? tree) =>
        tree is not null && _kmallocMinAlignByTree.TryGetValue(tree, out var value) ? value : GlobalKmallocMinAlign;

    /// <summary>Reads the options of <paramref name="compilation"/>.</summary>
    public static DmaOptions Read(Compilation compilation, AnalyzerOptions options)
    {
        var provider = options.AnalyzerConfigOptionsProvider;
        var problems = new List<OptionProblem>();
        var seenProblems = new HashSet<string>(StringComparer.Ordinal);
        var sinkIds = new List<string>();
        var seenSinkIds = new HashSet<string>(StringComparer.Ordinal);

        void AddProblem(string key, string raw, string reason)
        {
            if (seenProblems.Add(key + "\n" + raw))
            {
                problems.Add(new OptionProblem(key, raw, reason));
            }
        }

        void AddSinks(string? raw)
        {
            if (raw is null)
            {
                return;
            }

            foreach (var part in SplitIds(raw))
            {
                var id = part.Trim();
                if (id.Length > 0 && seenSinkIds.Add(id))
                {
                    sinkIds.Add(id);
                }
            }
        }

        int ReadAlignment(AnalyzerConfigOptions source, string key, int fallback, int smallest, int largest)
        {
            if (!source.TryGetValue(key, out var raw))
            {
                return fallback;
            }

            if (TryParseAlignment(raw, smallest, largest, out var value))
            {
                return value;
            }

            AddProblem(key, raw, string.Format(
                CultureInfo.InvariantCulture,
                "'{0} = {1}' is not a power of two between {2} and {3}; using {4}",
                key,
                raw,
                smallest,
                largest,
                fallback));
            return fallback;
        }

        var global = provider.GlobalOptions;
        var globalDma = ReadAlignment(global, DmaMinAlignKey, DefaultDmaMinAlign, SmallestDmaMinAlign, LargestDmaMinAlign);
        var globalKmalloc = ReadAlignment(global, KmallocMinAlignKey, DefaultKmallocMinAlign, SmallestKmallocMinAlign, LargestKmallocMinAlign);
        global.TryGetValue(DmaSinksKey, out var globalSinks);
        AddSinks(globalSinks);

        var dmaByTree = new Dictionary<SyntaxTree, int>();
        var kmallocByTree = new Dictionary<SyntaxTree, int>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var local = provider.GetOptions(tree);
            var dma = ReadAlignment(local, DmaMinAlignKey, globalDma, SmallestDmaMinAlign, LargestDmaMinAlign);
            if (dma != globalDma)
            {
                dmaByTree[tree] = dma;
            }

            var kmalloc = ReadAlignment(local, KmallocMinAlignKey, globalKmalloc, SmallestKmallocMinAlign, LargestKmallocMinAlign);
            if (kmalloc != globalKmalloc)
            {
                kmallocByTree[tree] = kmalloc;
            }

            if (local.TryGetValue(DmaSinksKey, out var treeSinks))
            {
                AddSinks(treeSinks);
            }
        }

        return new DmaOptions(globalDma, globalKmalloc, dmaByTree, kmallocByTree, sinkIds.ToImmutableArray(), problems.ToImmutableArray());
    }

    /// <summary>
    /// Splits a dmasafe.dma_sinks value at commas and semicolons outside brackets: documentation-comment IDs contain
    /// commas inside their parameter lists (<c>M:A.B(System.Int32,System.Int32)</c>).
    /// </summary>
    public static List<string> SplitIds(string raw)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            switch (raw[i])
            {
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' or ';' when depth == 0:
                    parts.Add(raw.Substring(start, i - start));
                    start = i + 1;
                    break;
            }
        }

        parts.Add(raw.Substring(start));
        parts.RemoveAll(part => part.Trim().Length == 0);
        return parts;
    }

    /// <summary>Parses a power of two in [smallest, largest], decimal or 0x-hex, surrounding blanks allowed.</summary>
    public static bool TryParseAlignment(string? raw, int smallest, int largest, out int value)
    {
        value = 0;
        if (raw is null)
        {
            return false;
        }

        var text = raw.Trim();
        long parsed;
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out parsed)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out parsed);
        if (!ok || parsed < smallest || parsed > largest || (parsed & (parsed - 1)) != 0)
        {
            return false;
        }

        value = (int)parsed;
        return true;
    }
}

/// <summary>An option value that could not be used, with the sentence DMA900 reports.</summary>
internal sealed class OptionProblem
{
    public OptionProblem(string key, string value, string message)
    {
        Key = key;
        Value = value;
        Message = message;
    }

    /// <summary>The option key, e.g. dmasafe.dma_minalign.</summary>
    public string Key { get; }

    /// <summary>The value as written.</summary>
    public string Value { get; }

    /// <summary>What was wrong and what is used instead.</summary>
    public string Message { get; }
}
