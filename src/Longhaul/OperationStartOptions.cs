namespace Longhaul;

/// <summary>How an operation started from code (<see cref="IOperationStarter"/>) is started; every property is optional.</summary>
public sealed class OperationStartOptions
{
    /// <summary>The tenant of every start that names none: the tenant of the HTTP API in single-tenant development mode.</summary>
    public const string DefaultTenant = "default";

    /// <summary>The tenant the operation belongs to. Defaults to <see cref="DefaultTenant"/>.</summary>
    public string Tenant { get; init; } = DefaultTenant;

    /// <summary>
    /// The idempotency key (1 to 255 printable ASCII characters), scoped to the tenant, remembered for
    /// <c>Longhaul:IdempotencyRetention</c>. Defaults to none.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The caller's metadata, serialized to a JSON object and stored verbatim. Defaults to none.</summary>
    public object? Metadata { get; init; }

    /// <summary>Attempts before the operation fails, 1 to <c>Longhaul:MaxAttemptsLimit</c>. Defaults to the kind's.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>The overall deadline in seconds from the start, above 0 and at most <c>Longhaul:MaxTimeout</c>. Defaults to the kind's (none unless set).</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>From -100 to 100; higher is claimed first. Defaults to 0.</summary>
    public int? Priority { get; init; }

    /// <summary>
    /// Where the final state is POSTed as a signed webhook (docs/webhooks.md), checked as the API's <c>callback_url</c>:
    /// http or https, and a host whose every address is public or allow-listed (<c>Longhaul:Egress</c>). Defaults to none.
    /// </summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Not started before this time; at most <c>Longhaul:MaxStartDelay</c> ahead. Defaults to none (at once).</summary>
    public DateTimeOffset? StartAfter { get; init; }

    /// <summary>
    /// If no attempt has started by this time, the operation ends failed with <c>start_deadline_passed</c>: in the
    /// future, after <see cref="StartAfter"/>, at most <c>Longhaul:MaxStartDelay</c> ahead. Defaults to none.
    /// </summary>
    public DateTimeOffset? StartBy { get; init; }

    /// <summary>
    /// Operations of the tenant sharing this key (1 to 200 characters, no control characters) run at most
    /// <see cref="ConcurrencyLimit"/> at once, across nodes. Defaults to none.
    /// </summary>
    public string? ConcurrencyKey { get; init; }

    /// <summary>How many with <see cref="ConcurrencyKey"/> may run at once, 1 to 1000; 1 when a key is given without it. Needs a key.</summary>
    public int? ConcurrencyLimit { get; init; }
}
