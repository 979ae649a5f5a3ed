using System.ComponentModel;
using Longhaul.Contracts;

namespace Longhaul.Tests.TypedKinds;

/// <summary><c>pack</c>: a typed kind with defaults in code (7 attempts, 600 s timeout).</summary>
[Description("Packs an order (test kind).")]
public sealed class PackHandler : OperationHandler<PackInput, PackResult>
{
    public const string Name = "pack";

    public override string Kind => Name;

    public override OperationKindOptions Defaults { get; } = new() { MaxAttempts = 7, TimeoutSeconds = 600 };

    protected override async Task<PackResult> ExecuteAsync(PackInput input, OperationContext context, CancellationToken cancellationToken)
    {
        var done = context.GetCheckpoint<PackCheckpoint>()?.Packed ?? 0;
        await context.SaveCheckpointAsync(new PackCheckpoint(input.Quantity), new ProgressInfo { Current = input.Quantity, Total = input.Quantity, Unit = "items" }, cancellationToken);
        return new PackResult($"{input.Code} for {input.Customer}", input.Quantity + done, input.Address.Street, context.MaxAttempts, context.TimeoutSeconds);
    }

    private sealed record PackCheckpoint(int Packed);
}
