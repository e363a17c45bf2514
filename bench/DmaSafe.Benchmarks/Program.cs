using System.CommandLine;
using BenchmarkDotNet.Running;
using DmaSafe.Benchmarks.Analyzers;

// `analyzer-project ...` generates and checks the analyzer benchmark's driver project; anything else runs the benchmarks
// named on the command line (e.g. --filter '*Kmalloc*'); see docs/PERFORMANCE.md for the commands used.
if (args.Length > 0 && args[0] == AnalyzerProjectCommand.Verb)
{
    return new RootCommand("DmaSafe's benchmarks; without a verb, BenchmarkDotNet's own options.") { AnalyzerProjectCommand.Create() }.Parse(args).Invoke();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
