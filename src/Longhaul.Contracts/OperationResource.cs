using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>The operation resource, as the API returns it.</summary>
public sealed record OperationResource
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public OperationStatus Status { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public ProgressInfo? Progress { get; init; }
    public DateTimeOffset? EstimatedCompletion { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public bool CancelRequested { get; init; }
    public JsonElement? Metadata { get; init; }
    public JsonElement? Result { get; init; }
    public OperationError? Error { get; init; }
}
