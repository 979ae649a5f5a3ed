using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string Record = """
        UPDATE operations
        SET progress = COALESCE($progress, progress),
            estimated_completion = CASE WHEN $progress IS NULL THEN estimated_completion ELSE $eta END,
            checkpoint = COALESCE($checkpoint, checkpoint), updated_at = $now, last_event_seq = last_event_seq + $events
        WHERE id = $id AND lease_epoch = $epoch AND status = 1 AND (max_events IS NULL OR last_event_seq + $events <= max_events)
        RETURNING seq, last_event_seq, attempt
        """;

    private const string Output = """
        UPDATE operations SET updated_at = $now, last_event_seq = last_event_seq + 1
        WHERE id = $id AND lease_epoch = $epoch AND status = 1 AND (max_events IS NULL OR last_event_seq + 1 <= max_events)
        RETURNING seq, last_event_seq, attempt
        """;

    private const string Complete = """
        UPDATE operations
        SET status = $status, result = $result, error = $error, finished_at = $now, updated_at = $now,
            lease_owner = NULL, lease_expires_at = NULL, estimated_completion = NULL, last_event_seq = last_event_seq + 2
        WHERE id = $id AND lease_epoch = $epoch AND status = 1
        RETURNING seq, last_event_seq, attempt
        """;

    /// <inheritdoc/>
    public Task<EventWriteResult> RecordAsync(RecordParams p, CancellationToken cancellationToken)
    {
        // Serialize on the caller's thread: the one writer thread only runs SQL.
        var progress = ToJson(p.Progress);
        var eventData = p.Progress is null ? null : EventData.Progress(p.Progress, p.EstimatedCompletion);
        var checkpoint = ToJson(p.Checkpoint);
        return _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            var row = Fenced(scope, scope.Command(Record)
                .P("$progress", progress).P("$eta", p.EstimatedCompletion?.ToUnixTimeMilliseconds())
                .P("$checkpoint", checkpoint).P("$now", now).P("$events", eventData is null ? 0 : 1)
                .P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch));
            if (row is not { } r) return eventData is null ? EventWriteResult.Refused : FailOverEventLimit(scope, p.Lease, 1, now);
            if (eventData is not null)
            {
                AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Progress, eventData, now);
                scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
            }
            return EventWriteResult.Written;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<EventWriteResult> AppendOutputAsync(OutputParams p, CancellationToken cancellationToken)
        => AppendFencedEventAsync(p.Lease, EventTypes.Output, p.Chunk.GetRawText(), cancellationToken);

    /// <summary>One event of <paramref name="type"/> appended under the lease (output, warning): fence, sequence step, event, notification.</summary>
    private Task<EventWriteResult> AppendFencedEventAsync(LeaseRef lease, string type, string data, CancellationToken cancellationToken)
        => _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            if (Fenced(scope, scope.Command(Output).P("$now", now).P("$id", lease.Id).P("$epoch", lease.Epoch)) is not { } r) return FailOverEventLimit(scope, lease, 1, now);
            AppendEvent(scope, r.OpSeq, r.LastSeq, type, data, now);
            scope.Notify(StoreNotificationKind.OperationChanged, lease.Id);
            return EventWriteResult.Written;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> CompleteAsync(CompleteParams p, CancellationToken cancellationToken)
    {
        if (!p.Status.IsTerminal()) throw new ArgumentException("Complete needs a final status.", nameof(p));
        var result = ToJson(p.Result);
        var error = p.Error is null ? null : ToJson(p.Error);
        return _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            var row = Fenced(scope, scope.Command(Complete)
                .P("$status", (int)p.Status).P("$result", result).P("$error", error)
                .P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch));
            if (row is not { } r) return false;
            AppendFinal(scope, r, p.Status, p.Error, now);
            scope.Command(DeleteUnfinishedFileChunks).P("$seq", r.OpSeq).ExecuteNonQuery();
            scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
            return true;
        }, cancellationToken);
    }
}
