using Microsoft.Extensions.Logging;

namespace Longhaul.Execution;

/// <summary>
/// A handler's logger (<see cref="OperationContext.Logger"/>): every entry is written inside the attempt's
/// <see cref="OperationLogScope"/>. The scope is opened per entry rather than around the handler's call, so an entry
/// logged from a thread the handler's execution context does not flow to (a timer, a callback) still carries it.
/// </summary>
internal sealed class OperationLogger(ILogger inner, OperationLogScope scope) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        using (inner.BeginScope(scope))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
