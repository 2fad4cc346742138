using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Integrations.Azure.Tests.KeyVault;

/// <summary>Keeps every log event, formatted, so tests can check what was logged and that no secret was.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue(new LogEntry(eventId.Id, logLevel, formatter(state, exception), exception));
}

public sealed record LogEntry(int EventId, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{EventId} {Level} {Message} {Exception}";
}
