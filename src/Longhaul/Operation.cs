using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul;

/// <summary>An operation as the store holds it.</summary>
public sealed record Operation
{
    /// <summary>The operation's id, <c>op_</c> and a time-ordered ULID (see <see cref="OperationIds"/>).</summary>
    public required string Id { get; init; }
    /// <summary>The tenant that started the operation; only its API keys can read or change it.</summary>
    public required string Tenant { get; init; }
    /// <summary>The kind, naming the <see cref="IOperationHandler"/> that runs it.</summary>
    public required string Kind { get; init; }
    /// <summary>Where the operation is in its life cycle: pending, running, or one of the final states.</summary>
    public OperationStatus Status { get; init; }
    /// <summary>The <c>input</c> the client sent, as stored (byte for byte).</summary>
    public JsonElement Input { get; init; }
    /// <summary>The client's <c>metadata</c>, echoed as sent; null when none was sent.</summary>
    public JsonElement? Metadata { get; init; }
    /// <summary>Reserved for the planned completion webhooks; always null today (a start request with one is refused).</summary>
    public string? CallbackUrl { get; init; }
    /// <summary>The claim priority (<c>options.priority</c>, -100 to 100, default 0): higher is claimed first, then older.</summary>
    public int Priority { get; init; }
    /// <summary>The number of the current or last attempt; 0 until first claimed, and not counted for a hand-back.</summary>
    public int Attempt { get; init; }
    /// <summary>How many attempts the operation may take before an unexpected failure is final.</summary>
    public int MaxAttempts { get; init; }
    /// <summary>The <c>options.timeout_seconds</c> the client asked for; null without a deadline.</summary>
    public double? TimeoutSeconds { get; init; }
    /// <summary>When the deadline runs out (creation time plus <see cref="TimeoutSeconds"/>, store clock); null without one.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }
    /// <summary>When the operation was stored, by the store's clock.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the operation last changed, by the store's clock.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When a worker first claimed it (the wire's <c>started_at</c>); null while never run.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>When it reached a final state; null before.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The earliest time a worker may claim it (later than now while a retry waits out its backoff).</summary>
    public DateTimeOffset RunAfter { get; init; }
    /// <summary>The last progress the handler reported; null when none.</summary>
    public ProgressInfo? Progress { get; init; }
    /// <summary>When the current attempt should finish, extrapolated from its rate of progress; null when unknown.</summary>
    public DateTimeOffset? EstimatedCompletion { get; init; }
    /// <summary>Whether a client asked for a cancel that a running handler has not yet acted on (or did).</summary>
    public bool CancelRequested { get; init; }
    /// <summary>The handler's returned value, serialized; set only when succeeded.</summary>
    public JsonElement? Result { get; init; }
    /// <summary>Why it failed or was cancelled (or, while pending a retry, why the last attempt failed); null otherwise.</summary>
    public OperationError? Error { get; init; }
    /// <summary>The last checkpoint a handler saved, given to the next attempt; null when none.</summary>
    public JsonElement? Checkpoint { get; init; }
    /// <summary>Incremented by every claim; every write of an attempt carries it, and a stale one is fenced off.</summary>
    public long LeaseEpoch { get; init; }
    /// <summary>The worker that holds the lease (machine, process and a random part); null when none does.</summary>
    public string? LeaseOwner { get; init; }
    /// <summary>When the lease runs out unless a heartbeat renews it (store clock); null without a lease.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Sequence number of the last event in the operation's event log (0 when none).</summary>
    public long LastEventSeq { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the trace that started the operation, when one was recorded (tracing on).</summary>
    public string? TraceParent { get; init; }

    /// <summary>The operation's concurrency key (<c>options.concurrency_key</c>), when it has one.</summary>
    public string? ConcurrencyKey { get; init; }

    /// <summary>How many operations with <see cref="ConcurrencyKey"/> may run at once; null without a key.</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>The start deadline (<c>options.start_by</c>): not started by then, it ends as <c>start_deadline_passed</c>.</summary>
    public DateTimeOffset? StartBy { get; init; }

    /// <summary>Whether the operation is in a final state (succeeded, failed or cancelled).</summary>
    public bool Done => Status.IsTerminal();

    /// <summary>The wire representation.</summary>
    public OperationResource ToResource() => new()
    {
        Id = Id,
        Kind = Kind,
        Status = Status,
        Done = Done,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Progress = Progress,
        EstimatedCompletion = Done ? null : EstimatedCompletion,
        Attempt = Attempt,
        MaxAttempts = MaxAttempts,
        CancelRequested = CancelRequested,
        CallbackUrl = CallbackUrl,
        Metadata = Metadata,
        Result = Status == OperationStatus.Succeeded ? Result : null,
        Error = Status is OperationStatus.Failed or OperationStatus.Cancelled ? Error : null,
        ScheduledFor = Status == OperationStatus.Pending && RunAfter > UpdatedAt ? RunAfter : null,
        StartBy = StartBy,
        ConcurrencyKey = ConcurrencyKey,
        ConcurrencyLimit = ConcurrencyKey is null ? null : ConcurrencyLimit ?? 1,
    };
}
