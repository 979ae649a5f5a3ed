namespace Longhaul.Contracts;

/// <summary>One attempt of a webhook delivery, in <c>GET /v1/operations/{id}/deliveries</c>.</summary>
public sealed record WebhookAttemptResource
{
    /// <summary>1 for the first attempt, counting on across redeliveries.</summary>
    public int Attempt { get; init; }

    /// <summary>When the request was started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took, in milliseconds.</summary>
    public int DurationMs { get; init; }

    /// <summary>The receiver's status code; null when there was no answer.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why there was no usable answer (timeout, refused destination, connection error); null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The delivery's status after this attempt: <c>pending</c> (a retry follows), <c>delivered</c>, <c>gone</c> or <c>failed</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>When the retry after this attempt was due; null when none followed.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
