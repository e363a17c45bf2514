using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>One result of a SARIF 2.1 error log as the compiler writes it (1-based lines and columns).</summary>
internal sealed record SarifResult(string RuleId, string Level, string Message, string File, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <inheritdoc />
    public override string ToString() => $"{RuleId} ({Level}) {Path.GetFileName(File)}({StartLine},{StartColumn})-({EndLine},{EndColumn}): {Message}";
}

/// <summary>Reads the results of a compiler error log written with <c>-p:ErrorLog=&lt;file&gt;,version=2.1</c>.</summary>
internal static class SarifLog
{
    /// <summary>Every result in every run of the log; results without a source location get file "" and line 0.</summary>
    public static IReadOnlyList<SarifResult> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The compiler wrote no error log at {path}: did CoreCompile run (a build that was up to date writes none)?", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var version = document.RootElement.GetProperty("version").GetString();
        if (version != "2.1.0")
        {
            throw new InvalidDataException($"{path} is SARIF '{version}', expected 2.1.0 (ErrorLog needs ',version=2.1').");
        }

        var results = new List<SarifResult>();
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var runResults))
            {
                continue;
            }

            foreach (var result in runResults.EnumerateArray())
            {
                results.Add(ReadResult(result));
            }
        }

        return results;
    }

    private static SarifResult ReadResult(JsonElement result)
    {
        var ruleId = result.GetProperty("ruleId").GetString() ?? "";
        var level = result.TryGetProperty("level", out var levelElement) ? levelElement.GetString() ?? "" : "warning";
        var message = result.TryGetProperty("message", out var messageElement) && messageElement.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "";
        if (!result.TryGetProperty("locations", out var locations) || locations.GetArrayLength() == 0)
        {
            return new SarifResult(ruleId, level, message, "", 0, 0, 0, 0);
        }

        var physical = locations[0].GetProperty("physicalLocation");
        var uri = physical.GetProperty("artifactLocation").GetProperty("uri").GetString() ?? "";
        var file = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : uri;
        var region = physical.GetProperty("region");
        int Read(string name) => region.TryGetProperty(name, out var value) ? value.GetInt32() : 0;
        return new SarifResult(ruleId, level, message, file, Read("startLine"), Read("startColumn"), Read("endLine"), Read("endColumn"));
    }
}
