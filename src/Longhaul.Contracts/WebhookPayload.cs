namespace Longhaul.Contracts;

/// <summary>
/// The body of a completion webhook: the event type, when the operation finished, and the operation resource exactly
/// as <c>GET /v1/operations/{id}</c> shows it.
/// </summary>
public sealed record WebhookPayload
{
    /// <summary><c>operation.succeeded</c>, <c>operation.failed</c> or <c>operation.cancelled</c>.</summary>
    public required string Type { get; init; }

    /// <summary>When the operation reached its final state.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The operation resource.</summary>
    public required OperationResource Data { get; init; }
}
