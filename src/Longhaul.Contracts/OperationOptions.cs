namespace Longhaul.Contracts;

/// <summary>Per-operation execution options sent on creation.</summary>
public sealed record OperationOptions
{
    /// <summary>Hard deadline, counted from creation, in seconds.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>How many attempts the operation gets before it fails.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Higher runs first. -100 to 100, default 0.</summary>
    public int? Priority { get; init; }
}
