using System;
using System.CommandLine;
using System.IO;
using DmaSafe.Profiling;

// Which frames of a module allocated, and what the collections cost, from an EventPipe trace:
//
//   dotnet tool install dotnet-trace --tool-path /tmp/tools
//   /tmp/tools/dotnet-trace collect --profile "" --providers Microsoft-Windows-DotNETRuntime:0x1:5 -o dmasafe.nettrace -- \
//       dotnet bench/DmaSafe.Benchmarks/bin/Release/net10.0/DmaSafe.Benchmarks.dll analyzer-project --repeat dmasafe 8
//   dotnet run -c Release --project bench/profiling/AllocationStacks -- frames dmasafe.nettrace --runs 10
//   dotnet run -c Release --project bench/profiling/AllocationStacks -- collections empty.nettrace dmasafe.nettrace
//
// The runtime samples one allocation per ~100 KB (GCAllocationTick, with the allocating thread's managed stack); a
// sample stands for the bytes allocated since the previous one. So a frame is only resolved to ~100 KB per trace:
// divide by --runs (how many times the traced process ran the work: `--repeat N` runs it N + 2 times, with the
// project check and the warm-up) and read differences under ~0.05 MB per run as noise.
var traceArgument = new Argument<FileInfo>("trace") { Description = "A .nettrace file written by dotnet-trace." };
var runsOption = new Option<double>("--runs") { Description = "How many runs of the work the trace holds; figures are per run.", DefaultValueFactory = _ => 1 };
var moduleOption = new Option<string>("--module") { Description = "The module whose frames are reported.", DefaultValueFactory = _ => "DmaSafe.Analyzers" };
var topOption = new Option<int>("--top") { Description = "Rows per table.", DefaultValueFactory = _ => 40 };
var frames = new Command("frames", "Allocation by the innermost frame of --module on the stack, by its callers, and by type.")
{
    traceArgument, runsOption, moduleOption, topOption,
};
frames.SetAction(parse =>
{
    var trace = parse.GetValue(traceArgument)!;
    var runs = parse.GetValue(runsOption);
    if (runs <= 0)
    {
        return Fail("--runs must be positive.");
    }

    if (!trace.Exists)
    {
        return Fail($"No trace at '{trace.FullName}'.");
    }

    Console.Write(AllocationByFrame.Read(trace.FullName, parse.GetValue(moduleOption)!).Describe(runs, parse.GetValue(topOption)));
    return 0;
});

var tracesArgument = new Argument<FileInfo[]>("traces") { Description = "One or more .nettrace files.", Arity = ArgumentArity.OneOrMore };
var collections = new Command("collections", "Collections by generation, bytes promoted and pause time, per trace.") { tracesArgument };
collections.SetAction(parse =>
{
    var traces = parse.GetValue(tracesArgument)!;
    foreach (var trace in traces)
    {
        if (!trace.Exists)
        {
            return Fail($"No trace at '{trace.FullName}'.");
        }
    }

    foreach (var trace in traces)
    {
        Console.WriteLine(CollectionCost.Read(trace.FullName).Describe());
    }

    return 0;
});

var root = new RootCommand("Reads dotnet-trace traces of GC events: which frames allocated, and what the collections cost.") { frames, collections };
return root.Parse(args).Invoke();

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
