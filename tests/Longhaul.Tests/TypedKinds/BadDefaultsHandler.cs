namespace Longhaul.Tests.TypedKinds;

/// <summary><c>bad_defaults</c>: declares settings out of range, which must fail start-up.</summary>
public sealed class BadDefaultsHandler : OperationHandler<PackInput, PackResult>
{
    public override string Kind => "bad_defaults";

    public override OperationKindOptions Defaults { get; } = new() { Slots = 0, RetryBaseDelay = TimeSpan.FromMinutes(10), RetryMaxDelay = TimeSpan.FromMinutes(1) };

    protected override Task<PackResult> ExecuteAsync(PackInput input, OperationContext context, CancellationToken cancellationToken)
        => throw new NotSupportedException();
}
