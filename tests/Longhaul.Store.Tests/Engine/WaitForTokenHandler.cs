namespace Longhaul.Store.Tests.Engine;

/// <summary>Runs until its cancellation token fires, then gives up the way well-behaved handlers do.</summary>
public sealed class WaitForTokenHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_wait_for_token";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return null;
    }
}
