using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Longhaul.Store.Tests.Engine;

/// <summary>
/// A real logging provider for tests: records every entry with the structured values of the scopes around it, read
/// through the logger factory's <see cref="IExternalScopeProvider"/> as console and OpenTelemetry providers read them.
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<RecordedLogEntry> _entries = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<RecordedLogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Record(string category, LogLevel level, string message)
    {
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
        _scopes?.ForEachScope(static (state, values) =>
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs) values[key] = value;
            }
        }, scope);
        _entries.Enqueue(new RecordedLogEntry(category, level, message, scope));
    }

    private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => provider.Record(category, logLevel, formatter(state, exception));
    }
}
