namespace Longhaul.Storage;

/// <summary>
/// One completion webhook: stored by the store in the transaction that gives the operation its final state, when the
/// operation has a callback URL. Its <see cref="Id"/> is the <c>webhook-id</c> every attempt (and redelivery) sends.
/// </summary>
public sealed record WebhookDelivery
{
    /// <summary>The delivery's id and <c>webhook-id</c>: <c>msg_</c> and the operation id's random part.</summary>
    public required string Id { get; init; }
    /// <summary>The operation it reports.</summary>
    public required string OperationId { get; init; }
    /// <summary>The operation's tenant, whose secrets sign it.</summary>
    public required string Tenant { get; init; }
    /// <summary>The callback URL.</summary>
    public required string Url { get; init; }
    /// <summary><c>operation.succeeded</c>, <c>operation.failed</c> or <c>operation.cancelled</c>.</summary>
    public required string EventType { get; init; }
    /// <summary>Where it stands.</summary>
    public WebhookDeliveryStatus Status { get; init; }
    /// <summary>Attempts recorded so far (a lost node's unrecorded attempt is not counted).</summary>
    public int Attempts { get; init; }
    /// <summary>When the next attempt is due (store clock); meaningful while pending.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }
    /// <summary>When the retry window started: the final state, or the last redelivery request.</summary>
    public DateTimeOffset WindowStart { get; init; }
    /// <summary>When it was stored (the operation's final state).</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Incremented by every claim; the attempt's record carries it and a stale one is fenced off.</summary>
    public long LeaseEpoch { get; init; }
    /// <summary>The node sending it; null when none is.</summary>
    public string? LeaseOwner { get; init; }
    /// <summary>When the sending node's lease runs out; null when none holds it.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>The delivery id (and <c>webhook-id</c>) of an operation: one per operation.</summary>
    public static string IdFor(string operationId) => "msg_" + (operationId.StartsWith("op_", StringComparison.Ordinal) ? operationId[3..] : operationId);
}
