using Microsoft.Extensions.Hosting;

namespace Longhaul.Store.Tests.Engine;

/// <summary>Runs until the host begins to stop, then finishes its work (within the grace period) without being cancelled.</summary>
public sealed class FinishOnShutdownHandler(HandlerProbe probe, IHostApplicationLifetime lifetime) : TestHandler(probe)
{
    public const string KindName = "test_finish_on_shutdown";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStopping.Register(() => stopping.TrySetResult()))
        {
            await stopping.Task.WaitAsync(cancellationToken);
        }
        await context.SaveCheckpointAsync(new { Phase = "finishing" }, cancellationToken: cancellationToken);
        return new { FinishedDuringShutdown = true, TokenCancelled = cancellationToken.IsCancellationRequested };
    }
}
