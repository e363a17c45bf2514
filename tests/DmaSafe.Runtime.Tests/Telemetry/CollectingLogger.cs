using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace DmaSafe.Runtime.Tests.Telemetry;

/// <summary>An ILogger that keeps every entry with its structured state, so tests can read the reported values.</summary>
internal sealed class CollectingLogger : ILogger
{
    private readonly object _gate = new();
    private readonly List<LogEntry> _entries = new();

    public CollectingLogger(LogLevel minimum = LogLevel.Trace) => Minimum = minimum;

    public LogLevel Minimum { get; }

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= Minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(pair => pair.Key, pair => pair.Value)
            : new Dictionary<string, object?>();
        lock (_gate)
        {
            _entries.Add(new LogEntry(logLevel, eventId, formatter(state, exception), values));
        }
    }
}

internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);
