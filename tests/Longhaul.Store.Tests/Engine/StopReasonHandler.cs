namespace Longhaul.Store.Tests.Engine;

/// <summary>Runs until its token fires, then tells the <see cref="HandlerProbe"/> why it was stopped before giving up.</summary>
public sealed class StopReasonHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_stop_reason";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Probe.Stopped(context.OperationId, context.StopReason);
            throw;
        }
        return null;
    }
}
