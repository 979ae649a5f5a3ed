using System.Text.Json;

namespace Longhaul.Store.Tests.Engine;

/// <summary>Waits for its token, then explains what the deadline cut short with its own <c>deadline_exceeded</c>.</summary>
public sealed class ExplainsDeadlineHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_explains_deadline";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw new PermanentFailureException("deadline_exceeded", "The deadline cut the slow step short.",
                JsonSerializer.SerializeToElement(new { step = "slow" }));
        }
        return null;
    }
}
