using System.Globalization;
using Longhaul.Databases;
using Microsoft.Data.Sqlite;

namespace Longhaul.Import;

/// <summary>SQLite: each chunk is one <c>BEGIN IMMEDIATE</c> transaction of prepared inserts that also moves the import's state.</summary>
internal sealed class SqliteImportTarget(SqliteConnection connection, string table, IReadOnlyList<TargetColumn> columns, bool staging) : IImportTarget
{
    private const string CreateTables = $"""
        CREATE TABLE IF NOT EXISTS {ImportBookkeeping.StateTable} (
            operation_id TEXT PRIMARY KEY, byte_offset INTEGER NOT NULL, line INTEGER NOT NULL, rows_inserted INTEGER NOT NULL,
            rows_skipped INTEGER NOT NULL, errors_reported INTEGER NOT NULL, done INTEGER NOT NULL, updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE IF NOT EXISTS {ImportBookkeeping.ErrorTable} (
            operation_id TEXT NOT NULL, line INTEGER NOT NULL, column_name TEXT, reason TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_{ImportBookkeeping.ErrorTable} ON {ImportBookkeeping.ErrorTable} (operation_id, line);
        """;

    private const string InsertState = $"""
        INSERT OR IGNORE INTO {ImportBookkeeping.StateTable} (operation_id, byte_offset, line, rows_inserted, rows_skipped, errors_reported, done)
        VALUES ($id, $offset, $line, 0, 0, 0, 0)
        """;

    private const string MoveState = $"""
        UPDATE {ImportBookkeeping.StateTable} SET byte_offset = $offset, line = $line, rows_inserted = $inserted, rows_skipped = $skipped,
            errors_reported = $reported, done = $done, updated_at = CURRENT_TIMESTAMP
        WHERE operation_id = $id AND byte_offset = $before AND done = 0
        """;

    private SqliteCommand? _insert;
    private SqliteTransaction? _held;

    public Task HoldAsync(CancellationToken cancellationToken)
    {
        _held = connection.BeginTransaction(deferred: false);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(bool commit, CancellationToken cancellationToken)
    {
        if (_held is not { } held) return Task.CompletedTask;
        _held = null;
        using (held)
        {
            if (commit) held.Commit();
            else held.Rollback();
        }
        return Task.CompletedTask;
    }

    public async Task<ImportState> BeginAsync(string operationId, ImportState initial, CancellationToken cancellationToken)
    {
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 30000";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            Execute(CreateTables, transaction);
            if (staging)
                Execute($"CREATE TABLE IF NOT EXISTS {SqlNames.QuoteTable(ImportBookkeeping.StagingTable(table, operationId))} AS SELECT * FROM {SqlNames.QuoteTable(table)} WHERE 0", transaction);
            using var insert = Command(InsertState, transaction);
            insert.Parameters.AddWithValue("$id", operationId);
            insert.Parameters.AddWithValue("$offset", initial.Offset);
            insert.Parameters.AddWithValue("$line", initial.Line);
            insert.ExecuteNonQuery();
            transaction.Commit();
        }
        var into = staging ? ImportBookkeeping.StagingTable(table, operationId) : table;
        _insert = connection.CreateCommand();
        _insert.CommandText = $"INSERT INTO {SqlNames.QuoteTable(into)} ({string.Join(", ", columns.Select(c => SqlNames.Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        for (var i = 0; i < columns.Count; i++) _insert.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        using var select = Command($"SELECT byte_offset, line, rows_inserted, rows_skipped, errors_reported, done FROM {ImportBookkeeping.StateTable} WHERE operation_id = $id", null);
        select.Parameters.AddWithValue("$id", operationId);
        using var reader = select.ExecuteReader();
        reader.Read();
        return new ImportState(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5) != 0);
    }

    public Task<bool> CommitAsync(string operationId, ImportState before, ImportState after, ImportBatch batch, IReadOnlyList<ImportError> reported, CancellationToken cancellationToken)
    {
        // Its own transaction, or the held one (committed later by ReleaseAsync).
        using var own = _held is null ? connection.BeginTransaction(deferred: false) : null;
        var transaction = own ?? _held!;
        if (!Move(operationId, before, after, transaction)) return Task.FromResult(false);
        var insert = _insert!;
        insert.Transaction = transaction;
        insert.Prepare();
        for (var r = 0; r < batch.Rows; r++)
        {
            var row = batch.Row(r);
            for (var c = 0; c < row.Length; c++) insert.Parameters[c].Value = Value(batch, row[c], batch.Columns[c].Kind.GetValueOrDefault());
            insert.ExecuteNonQuery();
        }
        foreach (var error in reported)
        {
            using var command = Command($"INSERT INTO {ImportBookkeeping.ErrorTable} (operation_id, line, column_name, reason) VALUES ($id, $line, $column, $reason)", transaction);
            command.Parameters.AddWithValue("$id", operationId);
            command.Parameters.AddWithValue("$line", error.Line);
            command.Parameters.AddWithValue("$column", (object?)error.Column ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", error.Reason);
            command.ExecuteNonQuery();
        }
        own?.Commit();
        return Task.FromResult(true);
    }

    public Task<bool> FinishAsync(string operationId, ImportState state, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        if (!Move(operationId, state, state with { Done = true }, transaction)) return Task.FromResult(false);
        if (staging)
        {
            var stage = SqlNames.QuoteTable(ImportBookkeeping.StagingTable(table, operationId));
            var names = string.Join(", ", columns.Select(c => SqlNames.Quote(c.Name)));
            Execute($"INSERT INTO {SqlNames.QuoteTable(table)} ({names}) SELECT {names} FROM {stage}", transaction);
            Execute($"DROP TABLE {stage}", transaction);
        }
        transaction.Commit();
        return Task.FromResult(true);
    }

    public Task AbandonAsync(string operationId, CancellationToken cancellationToken)
    {
        if (staging) Execute($"DROP TABLE IF EXISTS {SqlNames.QuoteTable(ImportBookkeeping.StagingTable(table, operationId))}", null);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ImportError>> ErrorsAsync(string operationId, CancellationToken cancellationToken)
    {
        using var command = Command($"SELECT line, column_name, reason FROM {ImportBookkeeping.ErrorTable} WHERE operation_id = $id ORDER BY line", null);
        command.Parameters.AddWithValue("$id", operationId);
        using var reader = command.ExecuteReader();
        var errors = new List<ImportError>();
        while (reader.Read()) errors.Add(new ImportError(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        return Task.FromResult<IReadOnlyList<ImportError>>(errors);
    }

    public async ValueTask DisposeAsync()
    {
        _held?.Dispose();
        _insert?.Dispose();
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>How text converts to a column of this declared SQLite type (its affinity, section 3.1 of the SQLite docs).</summary>
    public static ValueKind? KindOf(string declared)
    {
        var type = declared.ToUpperInvariant();
        if (type.Contains("BOOL", StringComparison.Ordinal)) return ValueKind.Boolean;
        if (type.Contains("INT", StringComparison.Ordinal)) return ValueKind.Int64;
        if (type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal)) return ValueKind.Text;
        if (type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal)) return ValueKind.Float64;
        if (type.Length == 0 || type.Contains("BLOB", StringComparison.Ordinal)) return ValueKind.Text;
        return ValueKind.Decimal;
    }

    private static object Value(ImportBatch batch, in ImportValue value, ValueKind kind) => value.IsNull ? DBNull.Value : kind switch
    {
        ValueKind.Int16 or ValueKind.Int32 or ValueKind.Int64 or ValueKind.Boolean => value.Integer,
        ValueKind.Float32 or ValueKind.Float64 => value.Real,
        ValueKind.Decimal => value.Number,
        ValueKind.Uuid => value.Uuid.ToString(),
        ValueKind.Date => value.Time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ValueKind.Timestamp or ValueKind.TimestampTz => value.Time.ToString("O", CultureInfo.InvariantCulture),
        // A string only for the time of one insert: it dies young.
        _ => new string(batch.TextOf(value).Span),
    };

    private bool Move(string operationId, ImportState before, ImportState after, SqliteTransaction transaction)
    {
        using var move = Command(MoveState, transaction);
        move.Parameters.AddWithValue("$id", operationId);
        move.Parameters.AddWithValue("$before", before.Offset);
        move.Parameters.AddWithValue("$offset", after.Offset);
        move.Parameters.AddWithValue("$line", after.Line);
        move.Parameters.AddWithValue("$inserted", after.Inserted);
        move.Parameters.AddWithValue("$skipped", after.Skipped);
        move.Parameters.AddWithValue("$reported", after.Reported);
        move.Parameters.AddWithValue("$done", after.Done ? 1 : 0);
        return move.ExecuteNonQuery() == 1;
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql, SqliteTransaction? transaction)
    {
        using var command = Command(sql, transaction);
        command.ExecuteNonQuery();
    }
}
