using System.Collections.Generic;

namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>One generated source file; <see cref="Path"/> is relative to the project folder, with '/' separators.</summary>
internal sealed record GeneratedFile(string Path, string Text);

/// <summary>
/// The generated project: its sources, the bounce profile (an AdditionalFile, as the runtime writes it), how many
/// MapSingle call sites it holds, and the DmaSafe diagnostics it was built to contain, per rule ID.
/// </summary>
internal sealed record GeneratedProject(
    DriverProjectSpec Spec,
    IReadOnlyList<GeneratedFile> Files,
    GeneratedFile Profile,
    int MapSingleCallSites,
    IReadOnlyDictionary<string, int> ExpectedDiagnostics);
