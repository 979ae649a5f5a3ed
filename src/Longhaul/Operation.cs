using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul;

/// <summary>An operation as the store holds it.</summary>
public sealed record Operation
{
    public required string Id { get; init; }
    public required string Tenant { get; init; }
    public required string Kind { get; init; }
    public OperationStatus Status { get; init; }
    public JsonElement Input { get; init; }
    public JsonElement? Metadata { get; init; }
    public string? CallbackUrl { get; init; }
    public int Priority { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public double? TimeoutSeconds { get; init; }
    public DateTimeOffset? DeadlineAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset RunAfter { get; init; }
    public ProgressInfo? Progress { get; init; }
    public DateTimeOffset? EstimatedCompletion { get; init; }
    public bool CancelRequested { get; init; }
    public JsonElement? Result { get; init; }
    public OperationError? Error { get; init; }
    public JsonElement? Checkpoint { get; init; }
    public long LeaseEpoch { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Sequence number of the last event in the operation's event log (0 when none).</summary>
    public long LastEventSeq { get; init; }

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
        Metadata = Metadata,
        Result = Status == OperationStatus.Succeeded ? Result : null,
        Error = Status is OperationStatus.Failed or OperationStatus.Cancelled ? Error : null,
    };
}
