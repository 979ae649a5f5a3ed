namespace Longhaul.Storage;

/// <summary>
/// Fenced record of one attempt of a claimed delivery: the attempt joins the log and the delivery moves to
/// <see cref="Outcome"/>, or, for <see cref="WebhookDeliveryStatus.Pending"/>, waits <see cref="RetryDelay"/>
/// (store clock) unless that is past <see cref="RetryWindow"/> from the window's start, when it fails.
/// </summary>
/// <param name="DeliveryId">The delivery.</param>
/// <param name="Epoch">The claim's lease epoch.</param>
/// <param name="StartedAt">When the request was started.</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="StatusCode">The receiver's status code, when it answered.</param>
/// <param name="Error">Why there was no usable answer, when there was none.</param>
/// <param name="Outcome">Delivered, Gone, Failed, or Pending for another attempt.</param>
/// <param name="RetryDelay">With Pending: how long until the next attempt.</param>
/// <param name="RetryWindow">With Pending: how long after the window's start attempts may still be made.</param>
public sealed record DeliveryAttemptParams(
    string DeliveryId, long Epoch, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error,
    WebhookDeliveryStatus Outcome, TimeSpan RetryDelay, TimeSpan RetryWindow);
