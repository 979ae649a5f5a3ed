namespace Longhaul.Store.Tests.Engine;

/// <summary>Registers a cancellation callback that throws (a user bug), then runs until its token fires.</summary>
public sealed class ThrowingCallbackHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_throwing_callback";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        using var faulty = cancellationToken.Register(() => throw new InvalidOperationException("a cancellation callback with a bug"));
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        return null;
    }
}
