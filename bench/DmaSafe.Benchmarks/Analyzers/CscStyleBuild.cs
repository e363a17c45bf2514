using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// A build as csc runs one with analyzers (CommonCompiler.CompileAndEmit): the analyzer driver is attached to the
/// compilation before the emit pass, the emit pass's own binding raises the compilation events the analyzers run on
/// (concurrently with lowering and IL generation), and the build waits for the analyzers' diagnostics at the end.
/// The public API has no such flow: <see cref="CompilationWithAnalyzers"/> drives its own GetDiagnostics pass and
/// cannot be attached to an emit. So this reaches Roslyn's internal AnalyzerDriver by reflection, against the pinned
/// Microsoft.CodeAnalysis 4.14.0, and fails at start-up with the member it could not find if that shape changes.
/// </summary>
internal sealed class CscStyleBuild
{
    private static readonly Assembly Roslyn = typeof(Compilation).Assembly;

    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly AnalyzerOptions _options;

    private CscStyleBuild(ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options)
    {
        _analyzers = analyzers;
        _options = options;
    }

    /// <summary>A csc-style build with <paramref name="analyzers"/> (the options carry the AdditionalFiles).</summary>
    public static CscStyleBuild For(ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options) => new(analyzers, options);

    /// <summary>
    /// Emits <paramref name="fresh"/> (to null streams, with a portable PDB) with the analyzers attached and returns
    /// the analyzers' diagnostics and those of analyzers that threw (AD0001), as csc would report them.
    /// </summary>
    public (EmitResult Emit, ImmutableArray<Diagnostic> AnalyzerDiagnostics) Run(Compilation fresh)
    {
        var exceptions = ImmutableArray.CreateBuilder<Diagnostic>();

        // A new manager per build, as CompileAndEmit makes one: each build initializes its analyzers again.
        var manager = Internal.ManagerConstructor.Invoke([_analyzers]);
        object?[] arguments =
        [
            fresh, _analyzers, _options, manager, (Action<Diagnostic>)(d => { lock (exceptions) { exceptions.Add(d); } }),
            false, Internal.NoSeverityFilter, false, null, CancellationToken.None,
        ];
        var driver = Internal.CreateAndAttach.Invoke(null, arguments)
            ?? throw new InvalidOperationException("AnalyzerDriver.CreateAndAttachToCompilation returned null.");
        var attached = (Compilation)arguments[8]!;

        var emit = attached.Emit(Stream.Null, pdbStream: Stream.Null, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));

        // csc completes every tree after emitting, which raises the last compilation-unit events and completes the
        // driver's queue; only then does waiting for the driver return.
        Internal.CompleteTrees.Invoke(attached, [null]);
        var analysis = (Task<ImmutableArray<Diagnostic>>)Internal.GetDiagnosticsAsync.Invoke(driver, [attached, CancellationToken.None])!;
        var diagnostics = analysis.GetAwaiter().GetResult();
        lock (exceptions)
        {
            return (emit, diagnostics.AddRange(exceptions));
        }
    }

    /// <summary>The internal members, looked up once; a missing one names itself.</summary>
    private static class Internal
    {
        public static readonly Type DriverType = TypeNamed("Microsoft.CodeAnalysis.Diagnostics.AnalyzerDriver");

        public static readonly ConstructorInfo ManagerConstructor =
            TypeNamed("Microsoft.CodeAnalysis.Diagnostics.AnalyzerManager")
                .GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(ImmutableArray<DiagnosticAnalyzer>)])
            ?? throw Missing("AnalyzerManager(ImmutableArray<DiagnosticAnalyzer>)");

        // The overload csc calls: (compilation, analyzers, options, manager, Action<Diagnostic> addExceptionDiagnostic,
        // reportAnalyzer, severityFilter, trackSuppressedDiagnosticIds, out newCompilation, cancellationToken).
        public static readonly MethodInfo CreateAndAttach =
            DriverType.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .SingleOrDefault(m => m.Name == "CreateAndAttachToCompilation"
                    && m.GetParameters().Select(p => p.ParameterType.Name).SequenceEqual(
                        ["Compilation", "ImmutableArray`1", "AnalyzerOptions", "AnalyzerManager", "Action`1", "Boolean", "SeverityFilter", "Boolean", "Compilation&", "CancellationToken"]))
            ?? throw Missing("AnalyzerDriver.CreateAndAttachToCompilation(..., Action<Diagnostic>, bool, SeverityFilter, bool, out Compilation, CancellationToken)");

        public static readonly object NoSeverityFilter = Activator.CreateInstance(CreateAndAttach.GetParameters()[6].ParameterType)!;

        public static readonly MethodInfo GetDiagnosticsAsync =
            DriverType.GetMethod("GetDiagnosticsAsync", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(Compilation), typeof(CancellationToken)])
            ?? throw Missing("AnalyzerDriver.GetDiagnosticsAsync(Compilation, CancellationToken)");

        public static readonly MethodInfo CompleteTrees =
            typeof(Compilation).GetMethod("CompleteTrees", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(SyntaxTree)])
            ?? throw Missing("Compilation.CompleteTrees(SyntaxTree)");

        private static Type TypeNamed(string name) => Roslyn.GetType(name) ?? throw Missing(name);

        private static MissingMemberException Missing(string member) => new(
            $"The csc-style build needs Roslyn's internal {member}, which Microsoft.CodeAnalysis {Roslyn.GetName().Version} does not have; "
            + "it was written against 4.14.0 (bench/DmaSafe.Benchmarks.csproj pins it).");
    }
}
