using System.Threading.Tasks;
using Xunit;
using VerifyDma001 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.BufferSharesCacheLineAnalyzer>;
using VerifyDma002 = DmaSafe.Analyzers.Tests.Infrastructure.AnalyzerVerifier<DmaSafe.Analyzers.Rules.KmallocNotLineAlignedAnalyzer>;

namespace DmaSafe.Analyzers.Tests.Rules;

/// <summary>
/// A sink call in a primary constructor's <c>base(...)</c> arguments belongs to the primary constructor (as an
/// operation-block action's owner would), so <c>[method: DmaBounceOk]</c> on the type silences DMA001 and DMA002 for it.
/// Most tests declare their own copy of the attribute that allows every target (DmaSafe matches the attribute by full
/// name, so a project's copy works too); the last two use the runtime's, which allows constructors.
/// </summary>
public sealed class PrimaryConstructorBounceOkTests
{
    private const string Request = """
        using DmaSafe;

        public unsafe struct State { public int status; public fixed byte {|#0:rx|}[64]; }

        public unsafe class Request
        {
            public Request([DmaBuffer] byte* buffer) { }
        }

        """;

    private const string BounceOkForConstructors = """

        namespace DmaSafe
        {
            [System.AttributeUsage(System.AttributeTargets.All)]
            public sealed class DmaBounceOkAttribute(string? reason = null) : System.Attribute
            {
                public string? Reason { get; } = reason;
            }
        }
        """;

    private const string KmallocRequest = "ATTRIBUTE public sealed unsafe class StatusRequest(Machine m) : Request((byte*)m.Kmalloc(16));";

    private const string FieldRequest = "ATTRIBUTE public sealed unsafe class RxRequest(State* st) : Request(st->rx);";

    [Fact]
    public Task Dma002_in_a_primary_constructor_base_call_is_reported_without_the_attribute() => VerifyDma002.VerifyAsync(
        Request.Replace("{|#0:rx|}", "rx") + KmallocRequest.Replace("ATTRIBUTE ", string.Empty).Replace("m.Kmalloc(16)", "{|#0:m.Kmalloc(16)|}") + BounceOkForConstructors,
        VerifyDma002.Diagnostic().WithLocation(0).WithArguments("16", "16", "16", "128", "new Request (line 9)"));

    [Fact]
    public Task Dma002_method_DmaBounceOk_on_the_primary_constructor_silences_its_base_call() => VerifyDma002.VerifyAsync(
        Request.Replace("{|#0:rx|}", "rx") + KmallocRequest.Replace("ATTRIBUTE", "[method: DmaBounceOk(\"status byte, rare\")]") + BounceOkForConstructors);

    [Fact]
    public Task Dma001_in_a_primary_constructor_base_call_is_reported_without_the_attribute() => VerifyDma001.VerifyAsync(
        Request + FieldRequest.Replace("ATTRIBUTE ", string.Empty).Replace("Request(st->rx)", "{|#1:Request(st->rx)|}") + BounceOkForConstructors,
        VerifyDma001.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(
            "rx",
            "bytes [4..68) of 'State' share line 0 [0..128) with 'status' [0..4); 'State' is not [DmaAligned], so nothing places it on a 128-byte boundary"));

    [Fact]
    public Task Dma001_method_DmaBounceOk_on_the_primary_constructor_silences_its_base_call() => VerifyDma001.VerifyAsync(
        Request.Replace("{|#0:rx|}", "rx") + FieldRequest.Replace("ATTRIBUTE", "[method: DmaBounceOk]") + BounceOkForConstructors);

    [Fact]
    public Task Dma002_the_runtimes_DmaBounceOk_on_a_primary_constructor_silences_its_base_call() => VerifyDma002.VerifyAsync(
        Request.Replace("{|#0:rx|}", "rx") + KmallocRequest.Replace("ATTRIBUTE", "[method: DmaBounceOk]"));

    [Fact]
    public Task Dma001_the_runtimes_DmaBounceOk_on_a_constructor_silences_its_sink_calls() => VerifyDma001.VerifyAsync(
        Request.Replace("{|#0:rx|}", "rx") + "public sealed unsafe class RxRequest : Request { [DmaBounceOk] public RxRequest(State* st) : base(st->rx) { } }");
}
