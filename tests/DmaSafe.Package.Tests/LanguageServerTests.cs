using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DmaSafe.Package.Tests.Infrastructure;
using DmaSafe.Package.Tests.Lsp;
using Xunit;

namespace DmaSafe.Package.Tests;

/// <summary>
/// The squiggle as an editor sees it: csharp-ls (a Roslyn language server installed as a dotnet tool) loads the scratch
/// project with analyzers enabled and reports DMA001 for the open file. csharp-ls offers no third-party quick fixes;
/// the fix is covered by <see cref="FormatFixTests"/>.
/// </summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LanguageServerTests
{
    private const string ServerPackage = "csharp-ls";
    private const string ServerVersion = "0.28.0";

    // Loading a project through MSBuild and running every analyzer takes tens of seconds on a busy 2-core box.
    private static readonly TimeSpan DiagnosticDeadline = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    private readonly PackedPackageFixture _package;

    public LanguageServerTests(PackedPackageFixture package) => _package = package;

    [Fact]
    public async Task Csharp_ls_reports_DMA001_on_the_buffer_field_with_the_identifiers_range()
    {
        var project = ScratchProject.Create(_package, "Lsp", "net10.0");
        var program = project.WriteFile("Program.cs", ConsumerSources.Driver);
        (await project.DotnetAsync("restore", project.ProjectFile)).EnsureSuccess();
        var server = await InstallServerAsync();
        var expected = SourcePosition.Of(ConsumerSources.Driver, ConsumerSources.DriverBufferLine, "Rx");

        await using var lsp = LspConnection.Start(server, Array.Empty<string>(), project.Directory, AnswerServerRequest);
        var rootUri = new Uri(project.Directory).AbsoluteUri;
        var fileUri = new Uri(program).AbsoluteUri;
        await lsp.RequestAsync("initialize", InitializeParams(rootUri), RequestTimeout);
        await lsp.NotifyAsync("initialized", new JsonObject());
        await lsp.NotifyAsync("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["csharp"] = CSharpSettings() } });
        await lsp.NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = fileUri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = ConsumerSources.Driver },
        });

        var diagnostic = await WaitForDiagnosticAsync(lsp, fileUri, program, "DMA001");

        var range = diagnostic.GetProperty("range");
        var zeroBasedLine = expected.Line - 1;
        var zeroBasedColumn = expected.Column - 1;
        Assert.Equal(
            (zeroBasedLine, zeroBasedColumn, zeroBasedLine, zeroBasedColumn + "Rx".Length),
            (range.GetProperty("start").GetProperty("line").GetInt32(), range.GetProperty("start").GetProperty("character").GetInt32(),
             range.GetProperty("end").GetProperty("line").GetInt32(), range.GetProperty("end").GetProperty("character").GetInt32()));
        Assert.Equal(2, diagnostic.GetProperty("severity").GetInt32()); // LSP DiagnosticSeverity.Warning
        Assert.Contains("'Rx'", diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Installs csharp-ls into a tool path under the run's temporary folder and returns the server's command.</summary>
    private async Task<string> InstallServerAsync()
    {
        var toolPath = Path.Combine(_package.WorkRoot, "tools");
        var command = Path.Combine(toolPath, OperatingSystem.IsWindows() ? ServerPackage + ".exe" : ServerPackage);
        if (!File.Exists(command))
        {
            (await ProcessRunner.DotnetAsync(_package.WorkRoot, TimeSpan.FromMinutes(5), "tool", "install", ServerPackage, "--version", ServerVersion, "--tool-path", toolPath)).EnsureSuccess();
        }

        return command;
    }

    private static JsonObject CSharpSettings() => new() { ["analyzersEnabled"] = true };

    private static JsonObject InitializeParams(string rootUri) => new()
    {
        ["processId"] = Environment.ProcessId,
        ["rootUri"] = rootUri,
        ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = "scratch" }),
        ["initializationOptions"] = new JsonObject { ["csharp"] = CSharpSettings() },
        ["capabilities"] = new JsonObject
        {
            ["workspace"] = new JsonObject
            {
                ["configuration"] = true,
                ["workspaceFolders"] = true,
                ["didChangeConfiguration"] = new JsonObject { ["dynamicRegistration"] = false },
            },
            ["textDocument"] = new JsonObject
            {
                ["synchronization"] = new JsonObject { ["dynamicRegistration"] = false },
                ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = true },
                ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false },
            },
        },
    };

    /// <summary>The client's answers to the server's requests: the `csharp` settings section, null for everything else.</summary>
    private static JsonNode? AnswerServerRequest(string method, JsonElement parameters)
    {
        if (method != "workspace/configuration")
        {
            return null; // client/registerCapability, window/workDoneProgress/create, ...: accepted.
        }

        var answers = new JsonArray();
        foreach (var item in parameters.GetProperty("items").EnumerateArray())
        {
            var section = item.TryGetProperty("section", out var s) ? s.GetString() : null;
            answers.Add(section switch
            {
                "csharp" => CSharpSettings(),
                "csharp.analyzersEnabled" => JsonValue.Create(true),
                _ => null,
            });
        }

        return answers;
    }

    /// <summary>
    /// Pulls the document's diagnostics (and watches pushed ones) until one with <paramref name="code"/> arrives;
    /// fails with every diagnostic seen, the server's log messages and its stderr.
    /// </summary>
    private static async Task<JsonElement> WaitForDiagnosticAsync(LspConnection lsp, string fileUri, string filePath, string code)
    {
        var deadline = DateTime.UtcNow + DiagnosticDeadline;
        var lastSeen = "(none yet)";
        while (DateTime.UtcNow < deadline)
        {
            var pushed = lsp.Notifications
                .Where(n => n.Method == "textDocument/publishDiagnostics" && SameFile(n.Params.GetProperty("uri").GetString(), filePath))
                .SelectMany(n => n.Params.GetProperty("diagnostics").EnumerateArray());
            var pulled = await lsp.RequestAsync("textDocument/diagnostic", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = fileUri } }, RequestTimeout);
            var items = pulled.ValueKind == JsonValueKind.Object && pulled.TryGetProperty("items", out var list) ? list.EnumerateArray() : default;
            var all = pushed.Concat(items).ToList();
            var match = all.FirstOrDefault(d => d.TryGetProperty("code", out var c) && c.ToString() == code);
            if (match.ValueKind == JsonValueKind.Object)
            {
                return match;
            }

            lastSeen = all.Count == 0 ? "(none)" : string.Join(Environment.NewLine, all.Select(d => d.GetRawText()));
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var log = string.Join(Environment.NewLine, lsp.Notifications.Where(n => n.Method == "window/logMessage" || n.Method == "window/showMessage")
            .Select(n => n.Params.TryGetProperty("message", out var m) ? m.GetString() : n.Params.GetRawText()));
        throw new TimeoutException(
            $"csharp-ls reported no {code} for {filePath} within {DiagnosticDeadline.TotalSeconds:0} s.{Environment.NewLine}" +
            $"Last diagnostics:{Environment.NewLine}{lastSeen}{Environment.NewLine}Server messages:{Environment.NewLine}{log}{Environment.NewLine}" +
            $"Server stderr:{Environment.NewLine}{lsp.StandardError}");
    }

    private static bool SameFile(string? uri, string path) =>
        uri is not null && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile && parsed.LocalPath == path;
}
