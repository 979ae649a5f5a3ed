namespace Longhaul.Store.Tests.Engine;

/// <summary>
/// Writes output past a small <c>MaxEventsPerOperation</c>, swallows every refused write and writes on, then tells the
/// <see cref="HandlerProbe"/> why it was stopped and returns as if it had succeeded: the engine must still count the
/// operation's end by the event limit, and only once.
/// </summary>
public sealed class StubbornChattyHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_stubborn_chatty";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await context.WriteOutputAsync(i, CancellationToken.None);
            }
            catch (LeaseLostException)
            {
                // Ignored on purpose: a handler that does not stop.
            }
        }
        Probe.Stopped(context.OperationId, context.StopReason);
        return new { Written = 20 };
    }
}
