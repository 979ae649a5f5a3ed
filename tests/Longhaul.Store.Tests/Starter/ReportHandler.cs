namespace Longhaul.Store.Tests.Starter;

/// <summary><c>report</c>: a typed kind with defaults in code (4 attempts, 300 s timeout) that returns its input.</summary>
public sealed class ReportHandler : OperationHandler<ReportInput, ReportResult>
{
    public const string Name = "report";

    public override string Kind => Name;

    public override OperationKindOptions Defaults { get; } = new() { MaxAttempts = 4, TimeoutSeconds = 300 };

    protected override Task<ReportResult> ExecuteAsync(ReportInput input, OperationContext context, CancellationToken cancellationToken)
        => Task.FromResult(new ReportResult(input.Title, input.Pages));
}
