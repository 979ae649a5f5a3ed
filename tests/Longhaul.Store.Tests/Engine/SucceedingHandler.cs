namespace Longhaul.Store.Tests.Engine;

/// <summary>Returns <c>{"answer": 42, "attempt": n}</c> after saving a progress report.</summary>
public sealed class SucceedingHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_succeed";

    public override string Kind => KindName;

    protected override async Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        await context.ReportProgressAsync(new Contracts.ProgressInfo { Current = 1, Total = 1 }, cancellationToken);
        return new { Answer = 42, Attempt = context.Attempt };
    }
}
