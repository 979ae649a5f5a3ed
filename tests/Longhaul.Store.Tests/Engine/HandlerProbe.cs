using System.Collections.Concurrent;

namespace Longhaul.Store.Tests.Engine;

/// <summary>What the test handlers report back, per operation id: started attempts and token firings.</summary>
public sealed class HandlerProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _tokenFired = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _invocations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OperationStopReason>> _stopped = new(StringComparer.Ordinal);

    /// <summary>Called by a handler when an attempt begins.</summary>
    public void Started(OperationContext context)
    {
        _invocations.AddOrUpdate(context.OperationId, 1, (_, n) => n + 1);
        Source(_started, context.OperationId).TrySetResult(context.Attempt);
    }

    /// <summary>Called by a handler from its cancellation token's callback.</summary>
    public void TokenFired(string operationId) => Source(_tokenFired, operationId).TrySetResult();

    /// <summary>Called by a handler that was stopped, with the <see cref="OperationContext.StopReason"/> it read.</summary>
    public void Stopped(string operationId, OperationStopReason reason) => Source(_stopped, operationId).TrySetResult(reason);

    /// <summary>The stop reason the handler on <paramref name="operationId"/> read once its token fired.</summary>
    public Task<OperationStopReason> WhenStoppedAsync(string operationId, TimeSpan timeout) => Guard(Source(_stopped, operationId).Task, timeout, $"the handler of {operationId} was not stopped");

    /// <summary>The first attempt's number once a handler started on <paramref name="operationId"/>.</summary>
    public Task<int> WhenStartedAsync(string operationId, TimeSpan timeout) => Guard(Source(_started, operationId).Task, timeout, $"no handler started for {operationId}");

    public Task WhenTokenFiredAsync(string operationId, TimeSpan timeout) => Guard(Source(_tokenFired, operationId).Task, timeout, $"the token of {operationId} did not fire");

    public bool HasTokenFired(string operationId) => Source(_tokenFired, operationId).Task.IsCompleted;

    public int Invocations(string operationId) => _invocations.GetValueOrDefault(operationId);

    private static TaskCompletionSource<T> Source<T>(ConcurrentDictionary<string, TaskCompletionSource<T>> map, string id)
        => map.GetOrAdd(id, static _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static TaskCompletionSource Source(ConcurrentDictionary<string, TaskCompletionSource> map, string id)
        => map.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private static async Task<T> Guard<T>(Task<T> task, TimeSpan timeout, string what)
    {
        try
        {
            return await task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Within {timeout}: {what}.");
            throw;
        }
    }

    private static async Task Guard(Task task, TimeSpan timeout, string what)
    {
        try
        {
            await task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Within {timeout}: {what}.");
        }
    }
}
