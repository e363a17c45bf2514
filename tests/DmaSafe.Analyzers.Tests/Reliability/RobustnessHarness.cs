using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DmaSafe.Analyzers.Tests.Reliability;

/// <summary>
/// Runs every DmaSafe analyzer and every code fixer over one input and records what went wrong: an analyzer
/// exception (the onAnalyzerException callback, or an AD0001 diagnostic), a fixer exception (registering or computing
/// a fix), or a fix whose project has more compiler errors than the input had. Nothing stops at the first failure:
/// the test reports them all with the input that caused each.
/// </summary>
internal sealed class RobustnessHarness
{
    private const int FailuresKept = 20;

    private readonly List<string> _failures = new();
    private long _inputs;
    private long _diagnostics;
    private long _fixesTried;
    private long _actionsApplied;
    private long _failureCount;

    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly ImmutableArray<CodeFixProvider> _fixers;

    /// <summary>A harness for DmaSafe's analyzers and fixers, or (to prove the harness can fail) for others.</summary>
    public RobustnessHarness(ImmutableArray<DiagnosticAnalyzer>? analyzers = null, ImmutableArray<CodeFixProvider>? fixers = null)
    {
        _analyzers = analyzers ?? Analyzers;
        _fixers = fixers ?? Fixers;
    }

    /// <summary>Every analyzer class the analyzer assembly exports.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(DmaSafe.Analyzers.Rules.BufferSharesCacheLineAnalyzer).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    /// <summary>Every code fixer the fixer assembly exports.</summary>
    public static ImmutableArray<CodeFixProvider> Fixers { get; } = typeof(DmaSafe.CodeFixes.Fixers.BufferSharesCacheLineCodeFixProvider).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(type) && type.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .Select(type => (CodeFixProvider)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    public long Inputs => Interlocked.Read(ref _inputs);

    public long Diagnostics => Interlocked.Read(ref _diagnostics);

    public long FixesTried => Interlocked.Read(ref _fixesTried);

    public long ActionsApplied => Interlocked.Read(ref _actionsApplied);

    public long FailureCount => Interlocked.Read(ref _failureCount);

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return _failures.ToList();
            }
        }
    }

    /// <summary>Analyzes <paramref name="project"/>; returns its diagnostics (empty if an analyzer threw).</summary>
    public async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, string input)
    {
        Interlocked.Increment(ref _inputs);
        var exceptions = new List<Exception>();
        try
        {
            var compilation = (await project.GetCompilationAsync(CancellationToken.None).ConfigureAwait(false))!;
            var options = new CompilationWithAnalyzersOptions(
                project.AnalyzerOptions,
                (exception, analyzer, _) =>
                {
                    lock (exceptions)
                    {
                        exceptions.Add(new InvalidOperationException(analyzer.GetType().Name + " threw", exception));
                    }
                },
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(_analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None).ConfigureAwait(false);
            foreach (var crash in diagnostics.Where(d => d.Id is "AD0001" or "AD0002"))
            {
                exceptions.Add(new InvalidOperationException(crash.ToString()));
            }

            Interlocked.Add(ref _diagnostics, diagnostics.Length);
            if (exceptions.Count == 0)
            {
                return diagnostics;
            }
        }
        catch (Exception e)
        {
            exceptions.Add(e);
        }

        Fail(input, "analyzer exception", string.Join("\n", exceptions.Select(e => e.ToString())));
        return ImmutableArray<Diagnostic>.Empty;
    }

    /// <summary>
    /// Offers every fixer each diagnostic it claims (at most <paramref name="perId"/> per ID), applies every action and
    /// compares compiler errors before and after.
    /// </summary>
    public async Task FixAsync(Project project, ImmutableArray<Diagnostic> diagnostics, string input, int perId = int.MaxValue)
    {
        var fixable = diagnostics
            .Where(d => d.Location.IsInSource && _fixers.Any(f => f.FixableDiagnosticIds.Contains(d.Id)))
            .GroupBy(d => d.Id)
            .SelectMany(group => group.Take(perId))
            .ToList();
        if (fixable.Count == 0)
        {
            return;
        }

        foreach (var diagnostic in fixable)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null)
            {
                continue;
            }

            foreach (var fixer in _fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                Interlocked.Increment(ref _fixesTried);
                var where = $"{fixer.GetType().Name} on {diagnostic.Id} at {diagnostic.Location.GetLineSpan()}";
                try
                {
                    var actions = new List<CodeAction>();
                    var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                    await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                    foreach (var action in actions)
                    {
                        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false))
                        {
                            if (operation is not ApplyChangesOperation apply)
                            {
                                Fail(input, "fixer used an operation other than ApplyChangesOperation", $"{where}: {operation.GetType().Name}");
                                continue;
                            }

                            Interlocked.Increment(ref _actionsApplied);
                            var fixedProject = apply.ChangedSolution.GetProject(project.Id)!;
                            var changed = fixedProject.GetChanges(project).GetChangedDocuments().ToList();
                            var errorsBefore = await ErrorsAsync(project, changed).ConfigureAwait(false);
                            var errorsAfter = await ErrorsAsync(fixedProject, changed).ConfigureAwait(false);
                            if (errorsAfter.Count > errorsBefore.Count)
                            {
                                Fail(input, "fix added compiler errors", $"{where}, '{action.Title}': {errorsBefore.Count} errors before, {errorsAfter.Count} after\n" +
                                    string.Join("\n", errorsAfter.Take(5)));
                            }
                        }
                    }
                }
                catch (Exception e)
                {
                    Fail(input, "fixer exception", $"{where}: {e}");
                }
            }
        }
    }

    public string Summary() =>
        $"{Inputs} inputs analyzed by {_analyzers.Length} analyzers, {Diagnostics} diagnostics, {FixesTried} fixes offered to {_fixers.Length} fixers, " +
        $"{ActionsApplied} code actions applied and their documents recompiled, {FailureCount} failures";

    /// <summary>
    /// Compiler errors in the documents a fix changed (declaration and body errors of those trees). The fixers edit
    /// one document at a time, and binding only the changed trees keeps the check cheap on the large test project.
    /// </summary>
    private static async Task<List<Diagnostic>> ErrorsAsync(Project project, IEnumerable<DocumentId> documents)
    {
        var errors = new List<Diagnostic>();
        foreach (var id in documents)
        {
            var document = project.GetDocument(id);
            if (document is null)
            {
                continue;
            }

            var model = (await document.GetSemanticModelAsync(CancellationToken.None).ConfigureAwait(false))!;
            errors.AddRange(model.GetDiagnostics(cancellationToken: CancellationToken.None).Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        return errors;
    }

    private void Fail(string input, string what, string detail)
    {
        Interlocked.Increment(ref _failureCount);
        lock (_failures)
        {
            if (_failures.Count < FailuresKept)
            {
                _failures.Add($"{what} on {input}:\n{detail}");
            }
        }
    }
}
