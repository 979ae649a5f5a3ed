namespace Longhaul.Contracts;

/// <summary>The answer of <c>GET /v1/operations/{id}/deliveries</c>.</summary>
public sealed record WebhookDeliveryList
{
    /// <summary>The operation's deliveries (none without a callback URL or before its final state).</summary>
    public required IReadOnlyList<WebhookDeliveryResource> Deliveries { get; init; }
}
