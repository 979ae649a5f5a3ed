namespace Longhaul.Storage;

/// <summary>An operation's deliveries (at most one today) and every recorded attempt, oldest first.</summary>
/// <param name="Deliveries">The deliveries.</param>
/// <param name="Attempts">Their attempts, by delivery then attempt number.</param>
public sealed record DeliveryLog(IReadOnlyList<WebhookDelivery> Deliveries, IReadOnlyList<WebhookAttempt> Attempts);
