using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string InsertEvent = "INSERT INTO operation_events (operation_seq, seq, type, data, created_at) VALUES ($op, $seq, $type, $data, $now)";

    private const string InsertFinalEvents = $"""
        INSERT INTO operation_events (operation_seq, seq, type, data, created_at)
        VALUES ($op, $seq, '{EventTypes.Status}', $data, $now), ($op, $done, '{EventTypes.Done}', NULL, $now)
        """;

    private static void DeleteOperation(WriteScope scope, long seq, string id)
    {
        scope.Command("DELETE FROM operation_events WHERE operation_seq = $seq").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM operation_file_chunks WHERE operation_seq = $seq").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM operation_files WHERE operation_seq = $seq").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM idempotency_keys WHERE operation_id = $id").P("$id", id).ExecuteNonQuery();
        scope.Command("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE operation_seq = $seq)").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM webhook_deliveries WHERE operation_seq = $seq").P("$seq", seq).ExecuteNonQuery();
        scope.Command("DELETE FROM operations WHERE seq = $seq").P("$seq", seq).ExecuteNonQuery();
    }

    /// <summary>Runs an UPDATE … RETURNING seq, last_event_seq, attempt; null when no row matched (fenced off).</summary>
    private static ChangedRow? Fenced(WriteScope scope, Microsoft.Data.Sqlite.SqliteCommand command)
    {
        _ = scope;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), null) : null;
    }

    private static List<ChangedRow> Rows(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        var rows = new List<ChangedRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add(new ChangedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetString(3)));
        return rows;
    }

    /// <summary>
    /// The final <c>status</c> event and the <c>done</c> event after it (seq - 1 and seq), and the operation's webhook
    /// delivery when it has a callback URL: every final state goes through here, so the delivery commits with it.
    /// </summary>
    private static void AppendFinal(WriteScope scope, ChangedRow r, OperationStatus status, OperationError? error, long now)
    {
        scope.Command(InsertFinalEvents)
            .P("$op", r.OpSeq).P("$seq", r.LastSeq - 1).P("$data", EventData.Status(status, r.Attempt, error)).P("$done", r.LastSeq).P("$now", now)
            .ExecuteNonQuery();
        scope.Command(InsertDelivery).P("$op", r.OpSeq).P("$now", now).ExecuteNonQuery();
    }

    private static void AppendEvent(WriteScope scope, long opSeq, long seq, string type, string? data, long now)
        => scope.Command(InsertEvent).P("$op", opSeq).P("$seq", seq).P("$type", type).P("$data", data).P("$now", now).ExecuteNonQuery();

    private readonly record struct ChangedRow(long OpSeq, long LastSeq, int Attempt, string? Id);
}
