using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DmaSafe.Package.Tests.Infrastructure;

namespace DmaSafe.Package.Tests.Lsp;

/// <summary>
/// The client side of a language server started over stdio: JSON-RPC 2.0 messages framed with Content-Length headers.
/// Answers the server's own requests through a callback, records its notifications, and keeps its stderr for failure messages.
/// </summary>
internal sealed class LspConnection : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _toServer;
    private readonly Stream _fromServer;
    private readonly Func<string, JsonElement, JsonNode?> _answerServerRequest;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly List<(string Method, JsonElement Params)> _notifications = new();
    private readonly Task _readLoop;
    private long _nextId;

    private LspConnection(Process process, Func<string, JsonElement, JsonNode?> answerServerRequest)
    {
        _process = process;
        _toServer = process.StandardInput.BaseStream;
        _fromServer = process.StandardOutput.BaseStream;
        _answerServerRequest = answerServerRequest;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Everything the server wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>A copy of the notifications received so far, oldest first.</summary>
    public IReadOnlyList<(string Method, JsonElement Params)> Notifications
    {
        get
        {
            lock (_notifications)
            {
                return _notifications.ToArray();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> as a language server talking over its stdin and stdout.</summary>
    public static LspConnection Start(string fileName, IReadOnlyList<string> arguments, string workingDirectory, Func<string, JsonElement, JsonNode?> answerServerRequest)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ToolEnvironment.Apply(startInfo);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start the language server {fileName}.");
        return new LspConnection(process, answerServerRequest);
    }

    /// <summary>Sends a request and waits for its result; throws with the server's error or stderr on failure or time-out.</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }).ConfigureAwait(false);
        var finished = await Task.WhenAny(response.Task, Task.Delay(timeout), _readLoop).ConfigureAwait(false);
        if (finished != response.Task)
        {
            _pending.TryRemove(id, out _);
            var why = finished == _readLoop ? "the server closed its output" : $"no answer within {timeout.TotalSeconds:0} s";
            throw new TimeoutException($"LSP request '{method}' failed: {why}. Server stderr:{Environment.NewLine}{StandardError}");
        }

        return await response.Task.ConfigureAwait(false);
    }

    /// <summary>Sends a notification (no answer expected).</summary>
    public Task NotifyAsync(string method, JsonNode? parameters) =>
        WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>Asks the server to shut down and exit; kills it if it does not within a few seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await RequestAsync("shutdown", null, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                await NotifyAsync("exit", null).ConfigureAwait(false);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // A server that will not stop politely is killed below.
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
            _writeLock.Dispose();
        }
    }

    private async Task WriteAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n"));
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _toServer.WriteAsync(header).ConfigureAwait(false);
            await _toServer.WriteAsync(body).ConfigureAwait(false);
            await _toServer.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var length = await ReadHeadersAsync().ConfigureAwait(false);
            if (length < 0)
            {
                return;
            }

            var body = new byte[length];
            await _fromServer.ReadExactlyAsync(body).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            await DispatchAsync(document.RootElement.Clone()).ConfigureAwait(false);
        }
    }

    /// <summary>Reads one header block; returns its Content-Length, or -1 at the end of the stream.</summary>
    private async Task<int> ReadHeadersAsync()
    {
        var line = new StringBuilder();
        var length = -1;
        var one = new byte[1];
        while (true)
        {
            if (await _fromServer.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                return -1;
            }

            if (one[0] != '\n')
            {
                if (one[0] != '\r')
                {
                    line.Append((char)one[0]);
                }

                continue;
            }

            if (line.Length == 0)
            {
                if (length < 0)
                {
                    throw new InvalidDataException("A message from the language server had no Content-Length header.");
                }

                return length;
            }

            var text = line.ToString();
            if (text.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(text["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }

            line.Clear();
        }
    }

    private async Task DispatchAsync(JsonElement message)
    {
        var hasId = message.TryGetProperty("id", out var id);
        var hasMethod = message.TryGetProperty("method", out var method);
        var parameters = message.TryGetProperty("params", out var p) ? p : default;
        if (hasId && hasMethod)
        {
            var result = _answerServerRequest(method.GetString() ?? "", parameters);
            await WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(id.GetRawText()), ["result"] = result }).ConfigureAwait(false);
        }
        else if (hasId)
        {
            if (id.ValueKind == JsonValueKind.Number && _pending.TryRemove(id.GetInt64(), out var response))
            {
                if (message.TryGetProperty("error", out var error))
                {
                    response.TrySetException(new InvalidOperationException($"The language server answered with an error: {error.GetRawText()}"));
                }
                else
                {
                    response.TrySetResult(message.TryGetProperty("result", out var result) ? result : default);
                }
            }
        }
        else if (hasMethod)
        {
            lock (_notifications)
            {
                _notifications.Add((method.GetString() ?? "", parameters));
            }
        }
    }
}
