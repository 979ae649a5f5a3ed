namespace Longhaul.Contracts;

/// <summary>A completion webhook of an operation and its attempts, in <c>GET /v1/operations/{id}/deliveries</c>.</summary>
public sealed record WebhookDeliveryResource
{
    /// <summary>The delivery's id: the <c>webhook-id</c> header of every attempt, and the id to redeliver.</summary>
    public required string Id { get; init; }

    /// <summary>The event type: <c>operation.succeeded</c>, <c>operation.failed</c> or <c>operation.cancelled</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The callback URL.</summary>
    public required string Url { get; init; }

    /// <summary><c>pending</c>, <c>delivering</c>, <c>delivered</c>, <c>gone</c> (the receiver answered 410) or <c>failed</c> (retries ran out).</summary>
    public required string Status { get; init; }

    /// <summary>When the next attempt is due; null unless pending.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When it was created (the operation's final state).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Every recorded attempt, oldest first.</summary>
    public required IReadOnlyList<WebhookAttemptResource> Attempts { get; init; }
}
