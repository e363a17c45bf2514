using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Benchmarks.Analyzers;

/// <summary>
/// Runs another analyzer with every callback it registers timed by the thread's CPU clock (and its allocations counted): DmaSafe's analyzer time
/// as the compiler's own per-analyzer clock counts it (everything its callbacks do, the Roslyn calls they make
/// included), but in CPU rather than wall time, so neither a lock wait nor a preempted thread inflates it. The driver's
/// dispatch between callbacks, and garbage collection on other threads, are not in it.
/// </summary>
// In-process benchmark analyzer only (see NoOpAnalyzer).
#pragma warning disable RS1001, RS1012, RS1025, RS1026
internal sealed class CpuTimedAnalyzer(DiagnosticAnalyzer inner) : DiagnosticAnalyzer
{
    private long _nanoseconds;
    private long _bytes;

    public DiagnosticAnalyzer Inner { get; } = inner;

    /// <summary>CPU nanoseconds spent and bytes allocated in the inner analyzer's callbacks since the last call.</summary>
    public (long Nanoseconds, long Bytes) Take() => (Interlocked.Exchange(ref _nanoseconds, 0), Interlocked.Exchange(ref _bytes, 0));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Inner.SupportedDiagnostics;

    public override void Initialize(AnalysisContext context) => Inner.Initialize(new TimedContext(context, this));

    private void Time<T>(Action<T> action, T argument)
    {
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var start = ThreadCpuClock.Now();
        try
        {
            action(argument);
        }
        finally
        {
            Interlocked.Add(ref _nanoseconds, ThreadCpuClock.Now() - start);
            Interlocked.Add(ref _bytes, GC.GetAllocatedBytesForCurrentThread() - bytes);
        }
    }

    private Action<T> Timed<T>(Action<T> action) => argument => Time(action, argument);

    private sealed class TimedContext(AnalysisContext context, CpuTimedAnalyzer owner) : AnalysisContext
    {
        public override void EnableConcurrentExecution() => context.EnableConcurrentExecution();

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => context.ConfigureGeneratedCodeAnalysis(analysisMode);

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) =>
            context.RegisterCompilationStartAction(start => owner.Time(action, new TimedStartContext(start, owner)));

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => context.RegisterCompilationAction(owner.Timed(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => context.RegisterSemanticModelAction(owner.Timed(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) =>
            context.RegisterSymbolAction(owner.Timed(action), symbolKinds);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("DmaSafe registers no code-block-start action; time it here before using it.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => context.RegisterCodeBlockAction(owner.Timed(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => context.RegisterSyntaxTreeAction(owner.Timed(action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => context.RegisterAdditionalFileAction(owner.Timed(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            context.RegisterSyntaxNodeAction(owner.Timed(action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            context.RegisterOperationAction(owner.Timed(action), operationKinds);

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => context.RegisterOperationBlockAction(owner.Timed(action));
    }

    private sealed class TimedStartContext(CompilationStartAnalysisContext start, CpuTimedAnalyzer owner)
        : CompilationStartAnalysisContext(start.Compilation, start.Options, start.CancellationToken)
    {
        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => start.RegisterCompilationEndAction(owner.Timed(action));

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => start.RegisterSemanticModelAction(owner.Timed(action));

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) =>
            start.RegisterSymbolAction(owner.Timed(action), symbolKinds);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) =>
            throw new NotSupportedException("DmaSafe registers no code-block-start action; time it here before using it.");

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => start.RegisterCodeBlockAction(owner.Timed(action));

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => start.RegisterSyntaxTreeAction(owner.Timed(action));

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => start.RegisterAdditionalFileAction(owner.Timed(action));

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) =>
            start.RegisterSyntaxNodeAction(owner.Timed(action), syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) =>
            start.RegisterOperationAction(owner.Timed(action), operationKinds);

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => start.RegisterOperationBlockAction(owner.Timed(action));

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) =>
            throw new NotSupportedException("DmaSafe registers no operation-block-start action; time it here before using it.");

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) =>
            throw new NotSupportedException("DmaSafe registers no symbol-start action; time it here before using it.");
    }
}
