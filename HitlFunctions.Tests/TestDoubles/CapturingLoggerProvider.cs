using System.Collections.Concurrent;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>
/// Keeps log entries (information and above; the host's filters decide what reaches it) with their event id and
/// structured values, so a test checks what was logged by id and value, never by the wording of a message.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyList<Entry> Entries => [.. this.entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this.entries);

    public void Dispose()
    {
    }

    /// <summary>One log entry: its level, category, event id and the values of its message template.</summary>
    public sealed record Entry(LogLevel Level, string Category, int EventId, IReadOnlyDictionary<string, object?> Values);

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (this.IsEnabled(logLevel))
            {
                Dictionary<string, object?> values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? pairs.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
                    : [];
                entries.Enqueue(new Entry(logLevel, category, eventId.Id, values));
            }
        }
    }
}
