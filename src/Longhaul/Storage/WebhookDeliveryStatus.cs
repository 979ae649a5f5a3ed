namespace Longhaul.Storage;

/// <summary>Where a completion webhook's delivery stands (stored as its integer value).</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (<see cref="WebhookDelivery.NextAttemptAt"/>).</summary>
    Pending = 0,

    /// <summary>A node holds its lease and is sending it; when the lease runs out another node takes it.</summary>
    Delivering = 1,

    /// <summary>The receiver answered 2xx. Final.</summary>
    Delivered = 2,

    /// <summary>The receiver answered 410 Gone: no more attempts. Final.</summary>
    Gone = 3,

    /// <summary>The retry window ran out (or the destination is refused for good). Final.</summary>
    Failed = 4,
}
