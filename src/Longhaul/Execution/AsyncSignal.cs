namespace Longhaul.Execution;

/// <summary>An auto-reset wake-up: <see cref="Set"/> completes the current <see cref="WaitAsync"/> (or the next one).</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _tcs = NewSource();

    public void Set() => Volatile.Read(ref _tcs).TrySetResult();

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var tcs = Volatile.Read(ref _tcs);
        try
        {
            await tcs.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Polling is the backstop for lost wake-ups.
        }
        if (tcs.Task.IsCompleted) Interlocked.CompareExchange(ref _tcs, NewSource(), tcs);
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
