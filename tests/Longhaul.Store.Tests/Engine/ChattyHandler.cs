namespace Longhaul.Store.Tests.Engine;

/// <summary>Streams 100 output chunks, then succeeds: more than a small <c>MaxEventsPerOperation</c> allows.</summary>
public sealed class ChattyHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_chatty";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++) await context.WriteOutputAsync(i, cancellationToken);
        return new { Written = 100 };
    }
}
