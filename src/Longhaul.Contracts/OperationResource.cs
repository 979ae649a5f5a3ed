using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>The operation resource, as the API returns it.</summary>
public sealed record OperationResource
{
    /// <summary>The operation's id (<c>op_…</c>).</summary>
    public required string Id { get; init; }
    /// <summary>The kind the operation was started with.</summary>
    public required string Kind { get; init; }
    /// <summary><c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public OperationStatus Status { get; init; }
    /// <summary>True exactly when <see cref="Status"/> is final (succeeded, failed or cancelled).</summary>
    public bool Done { get; init; }
    /// <summary>When the operation was started (stored), UTC.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the operation last changed, UTC.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When a worker first began running it; null until then.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it reached a final state; null until then.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The last progress the handler reported; null when none.</summary>
    public ProgressInfo? Progress { get; init; }
    /// <summary>Expected finish, derived from the observed rate of progress; null when unknown or done.</summary>
    public DateTimeOffset? EstimatedCompletion { get; init; }
    /// <summary>The current or last attempt's number; 0 until first run.</summary>
    public int Attempt { get; init; }
    /// <summary>How many attempts the operation may take in all.</summary>
    public int MaxAttempts { get; init; }
    /// <summary>True once a cancel was asked for; the handler may still be stopping.</summary>
    public bool CancelRequested { get; init; }
    /// <summary>The <c>callback_url</c> the operation was started with (its final state is delivered there); null when none.</summary>
    public string? CallbackUrl { get; init; }
    /// <summary>The client's <c>metadata</c>, echoed as it was sent.</summary>
    public JsonElement? Metadata { get; init; }
    /// <summary>The handler's result; present only when succeeded.</summary>
    public JsonElement? Result { get; init; }
    /// <summary>Why it failed or was cancelled; present only then.</summary>
    public OperationError? Error { get; init; }
    /// <summary>
    /// While pending: the time before which it will not start (<c>options.start_after</c>, or a retry's backoff); absent
    /// when it may start as soon as a worker is free.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ScheduledFor { get; init; }
    /// <summary>The start deadline (<c>options.start_by</c>); absent when none was set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? StartBy { get; init; }
    /// <summary>The concurrency key (<c>options.concurrency_key</c>); absent when none was set.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ConcurrencyKey { get; init; }
    /// <summary>How many operations with <see cref="ConcurrencyKey"/> may run at once; absent without a key.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? ConcurrencyLimit { get; init; }
}
