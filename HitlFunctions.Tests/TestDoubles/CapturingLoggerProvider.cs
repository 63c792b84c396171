using System.Collections.Concurrent;

namespace HitlFunctions.Tests.TestDoubles;

/// <summary>Keeps log lines (information and above; the host's filters decide what reaches it) so a test can check what was logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines => [.. this.lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this.lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (this.IsEnabled(logLevel))
            {
                lines.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
