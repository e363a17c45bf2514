using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (e.g. --filter '*Kmalloc*'); see docs/PERFORMANCE.md for the commands used.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
