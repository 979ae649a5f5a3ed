using Longhaul.Contracts;

namespace Longhaul.Store.Tests.Conformance;

/// <summary>Everything a refused (fenced-off) write must leave as it was, in a form records compare by value.</summary>
public sealed record OperationSnapshot(
    OperationStatus Status, int Attempt, long LeaseEpoch, string? LeaseOwner, DateTimeOffset? LeaseExpiresAt, DateTimeOffset RunAfter,
    DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, bool CancelRequested, ProgressInfo? Progress, DateTimeOffset? EstimatedCompletion,
    string? Checkpoint, string? Result, string? ErrorCode, string? ErrorMessage, long LastEventSeq, string Events)
{
    public static OperationSnapshot Of(Operation op, IReadOnlyList<OperationEvent> events) => new(
        op.Status, op.Attempt, op.LeaseEpoch, op.LeaseOwner, op.LeaseExpiresAt, op.RunAfter, op.UpdatedAt, op.FinishedAt,
        op.CancelRequested, op.Progress, op.EstimatedCompletion, op.Checkpoint?.GetRawText(), op.Result?.GetRawText(),
        op.Error?.Code, op.Error?.Message, op.LastEventSeq, string.Join(",", events.Select(e => $"{e.Seq}:{e.Type}")));
}
