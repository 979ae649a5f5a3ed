namespace Longhaul.Storage;

/// <summary>One recorded attempt of a <see cref="WebhookDelivery"/>.</summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="Attempt">1 for the first attempt, counting on across redeliveries.</param>
/// <param name="StartedAt">When the request was started (the sending node's clock).</param>
/// <param name="DurationMs">How long the attempt took, in milliseconds.</param>
/// <param name="StatusCode">The receiver's status code; null when there was no answer.</param>
/// <param name="Error">Why there was no usable answer (timeout, refused destination, connection error); null otherwise.</param>
/// <param name="Outcome">The delivery's status after the attempt.</param>
/// <param name="NextAttemptAt">When the next attempt is due, when one is.</param>
public sealed record WebhookAttempt(
    string DeliveryId, int Attempt, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error,
    WebhookDeliveryStatus Outcome, DateTimeOffset? NextAttemptAt);
