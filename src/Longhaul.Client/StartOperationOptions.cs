using System.Text.Json;

namespace Longhaul.Client;

/// <summary>What a typed <c>StartAsync</c> sends beside the kind and the input. Every member is optional.</summary>
public sealed record StartOperationOptions
{
    /// <summary>The <c>Idempotency-Key</c>: a start with the same key (and body) returns the same operation. Defaults to null: the client makes one per <c>StartAsync</c> call, used for that call's own retries.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Free JSON stored and echoed on the resource. Defaults to null (none).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>Hard deadline in seconds, counted from the start. Defaults to null (the kind's setting).</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>How many attempts the operation gets. Defaults to null (the kind's setting).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Higher runs first, -100 to 100. Defaults to null (0).</summary>
    public int? Priority { get; init; }

    /// <summary>The completion webhook's destination (<c>callback_url</c>, docs/webhooks.md). Defaults to null (no webhook).</summary>
    public string? CallbackUrl { get; init; }
}
