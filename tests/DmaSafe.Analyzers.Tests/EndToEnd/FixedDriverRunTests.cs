using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Analyzers.Rules;
using DmaSafe.Analyzers.Tests.CodeFixes;
using DmaSafe.Analyzers.Tests.Infrastructure;
using DmaSafe.CodeFixes.Fixers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DmaSafe.Analyzers.Tests.EndToEnd;

/// <summary>
/// A fix is only right if the fixed program runs right: the DMA001 fix, applied by the real fixer through a
/// workspace to four ported driver structs, must give code that compiles, that DMA001 no longer flags, and that
/// on a non-coherent device under adversarial eviction neither bounces (BouncePolicy.Alignment) nor faults. The
/// unfixed code, run the same way, must show what the fix removes: bounces under Alignment, faults under Never.
/// </summary>
public sealed class FixedDriverRunTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string GiveBufferOwnLines = "DmaSafe.GiveBufferOwnLines";

    [Fact]
    public async Task Unfixed_drivers_bounce_under_Alignment_and_fault_under_Never()
    {
        var assembly = new DriverAssembly(PortedDrivers.Source);
        foreach (var transfer in PortedDrivers.Transfers)
        {
            var aligned = assembly.Run(transfer, BouncePolicy.Alignment);
            Assert.True(aligned.Bounces > 0, $"{transfer}: expected bounces under Alignment, got {aligned}");
            Assert.True(aligned.Intact, $"{transfer}: bouncing must keep the data intact, got {aligned}");
            Assert.Equal(0, aligned.Faults);

            var never = assembly.Run(transfer, BouncePolicy.Never);
            Assert.True(never.Faults > 0, $"{transfer}: expected coherency faults under Never, got {never}");
            Assert.False(never.Intact, $"{transfer}: the device's bytes should have been overwritten, got {never}");
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task Fixed_drivers_compile_pass_DMA001_and_run_without_bounces_or_faults()
    {
        var (fixedSource, applied) = await ApplyDma001FixesAsync(PortedDrivers.Source);
        output.WriteLine(fixedSource);

        // Ks8851, SpiNor (two buffers), Ad7768 (through the outer struct), MmcSpi: every flagged buffer needed a fix.
        Assert.True(applied >= 4, $"expected at least four DMA001 fixes, applied {applied}");
        var document = FixWorkspace.CreateDocument(fixedSource);
        Assert.Empty(await FixWorkspace.ErrorsAsync(document.Project));
        Assert.Empty(await FixWorkspace.AnalyzeAsync(document, new BufferSharesCacheLineAnalyzer()));
        Assert.Contains("[DmaAligned]", fixedSource, StringComparison.Ordinal);

        var assembly = new DriverAssembly(fixedSource);
        foreach (var transfer in PortedDrivers.Transfers)
        {
            var aligned = assembly.Run(transfer, BouncePolicy.Alignment);
            Assert.True(aligned.Intact, $"{transfer}: {aligned}");
            Assert.Equal(0, aligned.Bounces);
            Assert.Equal(0, aligned.Faults);

            // With the buffer on lines of its own, not bouncing is safe too.
            var never = assembly.Run(transfer, BouncePolicy.Never);
            Assert.True(never.Intact, $"{transfer}: {never}");
            Assert.Equal(0, never.Faults);
        }
    }

    // Applies the fixer's first (recommended) action to the first DMA001 diagnostic until none is left, as a user
    // clicking the light bulb would; returns the fixed source and how many fixes were applied.
    private static async Task<(string Source, int Applied)> ApplyDma001FixesAsync(string source)
    {
        var document = FixWorkspace.CreateDocument(source);
        var analyzer = new BufferSharesCacheLineAnalyzer();
        var fixer = new BufferSharesCacheLineCodeFixProvider();
        var applied = 0;
        for (; applied < 16; applied++)
        {
            var diagnostic = (await FixWorkspace.AnalyzeAsync(document, analyzer)).FirstOrDefault(d => d.Id == DiagnosticIds.BufferSharesCacheLine);
            if (diagnostic is null)
            {
                break;
            }

            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
            var recommended = actions.FirstOrDefault();
            Assert.True(recommended is not null, $"no fix offered for {diagnostic}");
            Assert.Equal(GiveBufferOwnLines, recommended!.EquivalenceKey);
            var operations = await recommended.GetOperationsAsync(CancellationToken.None);
            var change = Assert.Single(operations.OfType<ApplyChangesOperation>());
            document = change.ChangedSolution.GetDocument(document.Id)!;
        }

        return ((await document.GetTextAsync()).ToString(), applied);
    }

    /// <summary>One compiled and loaded driver source; each run gets a fresh machine and a non-coherent device.</summary>
    private sealed class DriverAssembly
    {
        private readonly Type _transfers;

        public DriverAssembly(string source)
        {
            var compilation = CSharpCompilation.Create(
                "Ported" + Guid.NewGuid().ToString("N"),
                new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) },
                TestReferences.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            using var image = new MemoryStream();
            var emitted = compilation.Emit(image);
            Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
            image.Position = 0;

            // Collectible, so each test's assembly goes away; DmaSafe.Runtime resolves to the one this test uses.
            var context = new AssemblyLoadContext("ported-drivers", isCollectible: true);
            _transfers = context.LoadFromStream(image).GetType("Ported.Transfers", throwOnError: true)!;
        }

        public RunResult Run(string transfer, BouncePolicy policy)
        {
            using var machine = new Machine(new MachineOptions
            {
                BouncePolicy = policy,
                Eviction = EvictionPolicy.Adversarial,
                MemoryBytes = 8L << 20,
                SwiotlbBytes = 1L << 20,
            });
            var device = machine.AddDevice("spi0", coherent: false);
            var method = _transfers.GetMethod(transfer, BindingFlags.Public | BindingFlags.Static)!;
            var intact = (bool)method.Invoke(null, new object[] { machine, device })!;
            return new RunResult(intact, machine.Bounces.TotalBounces, machine.Faults.Count);
        }
    }

    private sealed record RunResult(bool Intact, long Bounces, int Faults);
}
