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

    /// <summary>Not started before this time (RFC 3339 with an offset); at most <c>Longhaul:MaxStartDelay</c> ahead.</summary>
    public DateTimeOffset? StartAfter { get; init; }

    /// <summary>If no attempt has started by this time it ends as failed with <c>start_deadline_passed</c>.</summary>
    public DateTimeOffset? StartBy { get; init; }

    /// <summary>Operations of the tenant sharing this key run at most <see cref="ConcurrencyLimit"/> at once, across nodes.</summary>
    public string? ConcurrencyKey { get; init; }

    /// <summary>How many with <see cref="ConcurrencyKey"/> may run at once, 1 to 1000; default 1. Needs a key.</summary>
    public int? ConcurrencyLimit { get; init; }
}
