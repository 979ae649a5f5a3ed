namespace Longhaul.Storage;

/// <summary>
/// Fenced: gives a claimed delivery back without an attempt (this node cannot send it now: its destination is at the
/// node's concurrency limit, or the node is shutting down), due again after <paramref name="Delay"/> (store clock).
/// </summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="Epoch">The claim's lease epoch.</param>
/// <param name="Delay">How long until it is due again; zero for at once.</param>
public sealed record DeferDeliveryParams(string DeliveryId, long Epoch, TimeSpan Delay);
