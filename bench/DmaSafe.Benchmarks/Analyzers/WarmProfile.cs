using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using DmaSafe.Analyzers.Flow;
using DmaSafe.Analyzers.Infrastructure;
using DmaSafe.Analyzers.Layout;
using DmaSafe.Analyzers.Rules.BufferSharesCacheLine;
using Microsoft.CodeAnalysis;

// SemanticModelOptions is experimental in Roslyn 4.14; the benchmark only measures with it.
#pragma warning disable RSEXPERIMENTAL001

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// What the difference of two multi-second totals cannot resolve: where DmaSafe's time goes, from warm runs only.
/// (1) The driver's per-analyzer clock over several runs in one process, the first (JIT) run dropped; (2) DmaSafe's
/// shared reading of the trees timed phase by phase on one thread, after the compiler has bound the declarations, so
/// each figure is DmaSafe's own: text search, syntax scan, binding the gated bodies (GetOperation, and for comparison
/// GetSymbolInfo on the candidate calls alone), owner lookup, and the sink-use trace.
/// </summary>
internal static class WarmProfile
{
    /// <param name="eachAnalyzer">Also clock each DmaSafe analyzer alone.</param>
    public static string Run(DriverProjectCompilation compilation, int runs, bool eachAnalyzer)
    {
        var text = new StringBuilder();
        AppendDriverClock(compilation, runs, DmaSafeAnalyzerSet.Create(), "DmaSafe analyzers", text);
        AppendDriverClock(compilation, runs, ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new GateFloorAnalyzer()), "GateFloorAnalyzer alone", text);
        if (eachAnalyzer)
        {
            // Alone, a block rule pays the shared reading itself (GateFloorAnalyzer's work) and waits on no other rule.
            foreach (var analyzer in DmaSafeAnalyzerSet.Create())
            {
                AppendDriverClock(compilation, runs, ImmutableArray.Create(analyzer), analyzer.GetType().Name + " alone", text);
            }
        }

        AppendPhases(compilation, runs, text);
        return text.ToString();
    }

    private static void AppendDriverClock(DriverProjectCompilation compilation, int runs, ImmutableArray<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> analyzers, string what, StringBuilder text)
    {
        var times = analyzers.ToDictionary(a => a.GetType().Name, _ => new List<double>());
        var totals = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var withAnalyzers = compilation.WithAnalyzers(analyzers, logExecutionTime: true);
            _ = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            var total = 0.0;
            foreach (var analyzer in analyzers)
            {
                var ms = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
                total += ms;
                if (run > 0)
                {
                    times[analyzer.GetType().Name].Add(ms);
                }
            }

            if (run > 0)
            {
                totals.Add(total);
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"driver clock, {what}, warm ({runs} runs after one JIT run; median / min ms):\n");
        foreach (var (name, values) in times.OrderByDescending(t => SampleMedian.Of(t.Value)))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {SampleMedian.Of(values),8:F1} / {values.Min(),8:F1}  {name}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  {SampleMedian.Of(totals),8:F1} / {totals.Min(),8:F1}  total\n");
    }

    private static void AppendPhases(DriverProjectCompilation compilation, int runs, StringBuilder text)
    {
        string[] phases = ["symbols (options, attribute types)", "text search", "syntax scan", "bind (GetOperation)", "owner symbols", "sink-use trace", "GetSymbolInfo of candidates only", "bind, nullable analysis off (4.14 API)", "DMA001 collect fields (DeclaredBufferFields on every tree) + mappings", "DMA001 end check", "DMA005 blocks", "GetOperation after GetSymbolInfo (operation trees alone)", "call names (source and metadata sinks, aliases)", "DMA001 declared fields alone (DeclaredBufferFields.Find on every tree; was a symbol action on every field)", "DMA001 collect mappings alone (AddMappings)", "syntax scan, its text positions alone (NamePositions)", "DMA004 (BounceHotSpotAnalyzer's trees, the profile's shared index)", "DMA004 with a fresh index (a profile's first compilation)", "DMA001 layouts of the structs holding [DmaBuffer] fields (before the end check)", "shared reading, syntax path (CodeBlockFindings.Read on every tree, own models)", "shared reading, operation path only (the same, syntax path off)"];
        var ms = phases.Select(_ => new List<double>()).ToArray();
        var allocated = phases.Select(_ => new List<double>()).ToArray();
        var counts = string.Empty;
        var fields = 0;
        for (var run = 0; run <= runs; run++)
        {
            var fresh = compilation.Fresh();
            _ = fresh.GetDiagnostics(CancellationToken.None);
            var clock = new double[phases.Length];
            var megabytes = new double[phases.Length];
            var watch = new CpuClock();
            var symbols = DmaSymbols.TryCreate(fresh, compilation.AnalyzerOptions) ?? throw new InvalidOperationException("DmaSafe found nothing to analyse.");
            clock[0] = Lap(watch);
            megabytes[0] = watch.LapBytes / 1e6;
            var names = symbols.CallNames(CancellationToken.None);
            clock[12] = Lap(watch);
            megabytes[12] = watch.LapBytes / 1e6;

            var gated = new List<(SyntaxTree Tree, List<CodeBlockScan.Candidate> Candidates)>();
            var passed = new List<SyntaxTree>();
            foreach (var tree in fresh.SyntaxTrees)
            {
                if (names.MayBeCalledIn(tree.GetText().ToString()))
                {
                    passed.Add(tree);
                }
            }

            clock[1] = Lap(watch);
            megabytes[1] = watch.LapBytes / 1e6;
            foreach (var tree in passed)
            {
                var candidates = CodeBlockScan.Of(tree.GetRoot(), names);
                if (candidates.Count > 0)
                {
                    gated.Add((tree, candidates));
                }
            }

            clock[2] = Lap(watch);
            megabytes[2] = watch.LapBytes / 1e6;
            var roots = new List<(SemanticModel Model, CodeBlockRoots.Root Root)>();
            foreach (var (tree, candidates) in gated)
            {
                var model = fresh.GetSemanticModel(tree);
                roots.AddRange(CodeBlockRoots.Of(model, candidates, CancellationToken.None).Select(r => (model, r)));
            }

            clock[3] = Lap(watch);
            megabytes[3] = watch.LapBytes / 1e6;
            var owners = new List<ISymbol?>();
            foreach (var (model, root) in roots)
            {
                var syntax = root.Operation.Syntax;
                owners.Add(model.GetDeclaredSymbol(syntax) ?? model.GetEnclosingSymbol(syntax.SpanStart));
            }

            clock[4] = Lap(watch);
            megabytes[4] = watch.LapBytes / 1e6;
            var uses = 0;
            var blockUses = new List<ImmutableArray<SinkUse>>();
            foreach (var (_, root) in roots)
            {
                blockUses.Add(root.MayCallSink ? SinkFlowRegistration.CollectUses(ImmutableArray.Create(root.Operation), symbols) : ImmutableArray<SinkUse>.Empty);
                uses += blockUses[^1].Length;
            }

            clock[5] = Lap(watch);
            megabytes[5] = watch.LapBytes / 1e6;
            foreach (var (tree, candidates) in gated)
            {
                var model = fresh.GetSemanticModel(tree);
                foreach (var candidate in candidates)
                {
                    _ = model.GetSymbolInfo(candidate.Node);
                }
            }

            clock[6] = Lap(watch);
            megabytes[6] = watch.LapBytes / 1e6;
            var symbolInfoModels = gated.Select(g => fresh.GetSemanticModel(g.Tree)).ToList();
            for (var g = 0; g < gated.Count; g++)
            {
                foreach (var candidate in gated[g].Candidates)
                {
                    _ = symbolInfoModels[g].GetSymbolInfo(candidate.Node);
                }
            }

            _ = Lap(watch);
            foreach (var (tree, candidates) in gated)
            {
                var model = fresh.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis);
                _ = CodeBlockRoots.Of(model, candidates, CancellationToken.None);
            }

            clock[7] = Lap(watch);
            megabytes[7] = watch.LapBytes / 1e6;

            // DMA001 finds the [DmaBuffer] fields of each tree from where its text spells the attribute.
            _ = Lap(watch);
            var layoutEngine = new StructLayoutEngine(fresh);
            var buffers = new BufferFieldCollector(symbols, layoutEngine);
            var declaredFields = new List<IFieldSymbol>();
            Action<IFieldSymbol> addDeclared = field =>
            {
                declaredFields.Add(field);
                buffers.AddDeclared(field);
            };
            foreach (var tree in fresh.SyntaxTrees)
            {
                DeclaredBufferFields.Find(fresh.GetSemanticModel(tree), symbols.CallNames(CancellationToken.None), addDeclared, CancellationToken.None);
            }

            for (var b = 0; b < roots.Count; b++)
            {
                buffers.AddMappings(owners[b], blockUses[b]);
            }

            clock[8] = Lap(watch);
            megabytes[8] = watch.LapBytes / 1e6;
            var reported = 0;
            // The layouts of the structs that hold DmaBuffer fields, which the end check needs first: timed on their
            // own, so the end check's figure is its own work.
            foreach (var field in declaredFields)
            {
                if (field.ContainingType.TypeKind == TypeKind.Struct && !field.IsStatic && symbols.IsDmaBuffer(field))
                {
                    _ = layoutEngine.GetLayout(field.ContainingType);
                }
            }

            clock[18] = Lap(watch);
            megabytes[18] = watch.LapBytes / 1e6;
            buffers.ReportAll(_ => reported++, CancellationToken.None);
            clock[9] = Lap(watch);
            megabytes[9] = watch.LapBytes / 1e6;
            var dma005 = 0;
            foreach (var (_, root) in roots)
            {
                if (root.HasMapCall)
                {
                    DmaSafe.Analyzers.Rules.UncheckedMappingAnalyzer.AnalyzeBlock(_ => dma005++, root.Operation, CancellationToken.None, symbols);
                }
            }

            clock[10] = Lap(watch);
            megabytes[10] = watch.LapBytes / 1e6;
            for (var g = 0; g < gated.Count; g++)
            {
                _ = CodeBlockRoots.Of(symbolInfoModels[g], gated[g].Candidates, CancellationToken.None);
            }

            clock[11] = Lap(watch);
            megabytes[11] = watch.LapBytes / 1e6;
            fields = fresh.GetSymbolsWithName(_ => true, SymbolFilter.Member).OfType<IFieldSymbol>().Count();
            _ = Lap(watch);
            var marked = 0;
            foreach (var tree in fresh.SyntaxTrees)
            {
                DeclaredBufferFields.Find(fresh.GetSemanticModel(tree), symbols.CallNames(CancellationToken.None), _ => marked++, CancellationToken.None);
            }

            clock[13] = Lap(watch);
            megabytes[13] = watch.LapBytes / 1e6;
            var mappingsOnly = new BufferFieldCollector(symbols, new StructLayoutEngine(fresh));
            _ = Lap(watch);
            for (var b = 0; b < roots.Count; b++)
            {
                mappingsOnly.AddMappings(owners[b], blockUses[b]);
            }

            clock[14] = Lap(watch);
            megabytes[14] = watch.LapBytes / 1e6;
            foreach (var tree in passed)
            {
                _ = names.NamePositions(tree.GetText().ToString());
            }

            clock[15] = Lap(watch);
            megabytes[15] = watch.LapBytes / 1e6;
            var dma004 = 0;
            var profiles = new List<DmaSafe.Analyzers.Profiles.BounceProfileFile>();
            foreach (var file in compilation.AnalyzerOptions.AdditionalFiles)
            {
                if (DmaSafe.Analyzers.Profiles.BounceProfileFile.IsProfilePath(file.Path) && file.GetText() is { } profileText)
                {
                    profiles.Add(DmaSafe.Analyzers.Profiles.BounceProfileFile.Get(file.Path, profileText));
                }
            }

            // The models that already bound the gated bodies, as the driver's one model per tree would have: this phase
            // is DMA004's own work, not binding bodies again.
            var boundModels = new Dictionary<SyntaxTree, SemanticModel>();
            for (var g = 0; g < gated.Count; g++)
            {
                boundModels[gated[g].Tree] = symbolInfoModels[g];
            }

            // The block rules' shared reading of each tree, which DMA004 consults for [DmaBounceOk] memory: read before
            // the clock starts, as the driver would have had another rule read it.
            var sharedBlocks = new Dictionary<SyntaxTree, ImmutableArray<CodeBlockFindings>>();
            foreach (var tree in fresh.SyntaxTrees)
            {
                var model = boundModels.TryGetValue(tree, out var bound) ? bound : fresh.GetSemanticModel(tree);
                sharedBlocks[tree] = CodeBlockFindings.Read(model, symbols, CancellationToken.None);
            }

            _ = Lap(watch);
            var profileIndex = DmaSafe.Analyzers.Profiles.ProfileIndex.Of(profiles);
            foreach (var tree in fresh.SyntaxTrees)
            {
                var model = boundModels.TryGetValue(tree, out var bound) ? bound : fresh.GetSemanticModel(tree);
                DmaSafe.Analyzers.Rules.BounceHotSpotAnalyzer.AnalyzeTree(model, _ => dma004++, symbols, profileIndex, () => sharedBlocks[tree], CancellationToken.None);
            }

            clock[16] = Lap(watch);
            megabytes[16] = watch.LapBytes / 1e6;
            var freshIndex = new DmaSafe.Analyzers.Profiles.ProfileIndex(profiles.SelectMany(p => p.Sites).ToImmutableArray());
            foreach (var tree in fresh.SyntaxTrees)
            {
                var model = boundModels.TryGetValue(tree, out var bound) ? bound : fresh.GetSemanticModel(tree);
                DmaSafe.Analyzers.Rules.BounceHotSpotAnalyzer.AnalyzeTree(model, _ => { }, symbols, freshIndex, () => sharedBlocks[tree], CancellationToken.None);
            }

            clock[17] = Lap(watch);
            megabytes[17] = watch.LapBytes / 1e6;
            var bySyntax = 0;
            var byOperations = 0;
            var byOperationsWithMap = 0;
            _ = Lap(watch);
            foreach (var tree in fresh.SyntaxTrees)
            {
                foreach (var block in CodeBlockFindings.Read(fresh.GetSemanticModel(tree), symbols, CancellationToken.None))
                {
                    _ = block.SinkUses;
                    bySyntax += block.DecidedBySyntax ? 1 : 0;
                    byOperations += block.DecidedBySyntax ? 0 : 1;
                    byOperationsWithMap += !block.DecidedBySyntax && block.HasMapCall ? 1 : 0;
                }
            }

            clock[19] = Lap(watch);
            megabytes[19] = watch.LapBytes / 1e6;
            foreach (var tree in fresh.SyntaxTrees)
            {
                foreach (var block in CodeBlockFindings.Read(fresh.GetSemanticModel(tree), symbols, CancellationToken.None, syntaxPath: false))
                {
                    _ = block.SinkUses;
                }
            }

            clock[20] = Lap(watch);
            megabytes[20] = watch.LapBytes / 1e6;
            counts = $"{passed.Count} of {fresh.SyntaxTrees.Count()} trees pass the text search, {gated.Count} hold candidates "
                + $"({gated.Sum(g => g.Candidates.Count)} calls), {roots.Count} bodies bound, {uses} sink uses, {reported} DMA001, {dma005} DMA005, {dma004} DMA004, {fields} fields; "
                + $"syntax path: {bySyntax} bodies decided by syntax, {byOperations} by operations ({byOperationsWithMap} of them with a map call)";
            if (run > 0)
            {
                for (var p = 0; p < phases.Length; p++)
                {
                    ms[p].Add(clock[p]);
                    allocated[p].Add(megabytes[p]);
                }
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"DmaSafe's shared tree reading, one thread, warm ({runs} runs; median / min CPU ms, median MB allocated): {counts}\n");
        for (var p = 0; p < phases.Length; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {SampleMedian.Of(ms[p]),8:F1} / {ms[p].Min(),8:F1} ms {SampleMedian.Of(allocated[p]),7:F1} MB  {phases[p]}\n");
        }
    }

    // This process's CPU time, not the wall clock: on a shared machine a phase preempted by other processes' work
    // would otherwise count their time. The phases run on one thread; the runtime's own threads (GC, tiering) are small.
    private static double Lap(CpuClock watch) => watch.Lap();

    private sealed class CpuClock
    {
        private readonly Process _process = Process.GetCurrentProcess();
        private TimeSpan _last;
        private long _lastBytes;

        public CpuClock()
        {
            _last = Now();
            _lastBytes = GC.GetAllocatedBytesForCurrentThread();
        }

        /// <summary>Bytes this thread allocated in the last lap.</summary>
        public long LapBytes { get; private set; }

        public double Lap()
        {
            var now = Now();
            var elapsed = (now - _last).TotalMilliseconds;
            _last = now;
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            LapBytes = bytes - _lastBytes;
            _lastBytes = bytes;
            return elapsed;
        }

        private TimeSpan Now()
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }
}
