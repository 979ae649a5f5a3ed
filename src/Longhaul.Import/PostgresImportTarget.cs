using Longhaul.Databases;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Import;

/// <summary>PostgreSQL: each chunk is one binary <c>COPY</c> (Npgsql's <c>BeginBinaryImport</c>) in the transaction that moves the import's state.</summary>
internal sealed partial class PostgresImportTarget(NpgsqlConnection connection, string table, IReadOnlyList<TargetColumn> columns, bool staging) : IImportTarget
{
    private const string CreateTables = $"""
        SELECT pg_advisory_xact_lock(hashtext('longhaul.import.bookkeeping'));
        CREATE TABLE IF NOT EXISTS {ImportBookkeeping.StateTable} (
            operation_id text PRIMARY KEY, byte_offset bigint NOT NULL, line bigint NOT NULL, rows_inserted bigint NOT NULL,
            rows_skipped bigint NOT NULL, errors_reported bigint NOT NULL, done boolean NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS {ImportBookkeeping.ErrorTable} (
            operation_id text NOT NULL, line bigint NOT NULL, column_name text, reason text NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_{ImportBookkeeping.ErrorTable} ON {ImportBookkeeping.ErrorTable} (operation_id, line);
        """;

    private const string InsertState = $"""
        INSERT INTO {ImportBookkeeping.StateTable} (operation_id, byte_offset, line, rows_inserted, rows_skipped, errors_reported, done)
        VALUES (@id, @offset, @line, 0, 0, 0, false) ON CONFLICT (operation_id) DO NOTHING
        """;

    private const string SelectState = $"SELECT byte_offset, line, rows_inserted, rows_skipped, errors_reported, done FROM {ImportBookkeeping.StateTable} WHERE operation_id = @id";

    // First in the chunk's transaction: the row lock makes a second worker wait, then find the state moved and write nothing.
    private const string MoveState = $"""
        UPDATE {ImportBookkeeping.StateTable} SET byte_offset = @offset, line = @line, rows_inserted = @inserted, rows_skipped = @skipped,
            errors_reported = @reported, done = @done, updated_at = now()
        WHERE operation_id = @id AND byte_offset = @before AND NOT done
        """;

    private string? _copy;
    private NpgsqlTransaction? _held;

    public async Task HoldAsync(CancellationToken cancellationToken) => _held = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    public async Task ReleaseAsync(bool commit, CancellationToken cancellationToken)
    {
        if (_held is not { } held) return;
        _held = null;
        await using (held)
        {
            if (commit) await held.CommitAsync(cancellationToken).ConfigureAwait(false);
            else await held.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ImportState> BeginAsync(string operationId, ImportState initial, CancellationToken cancellationToken)
    {
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(CreateTables, transaction, cancellationToken).ConfigureAwait(false);
            if (staging)
            {
                var stage = SqlNames.QuoteTable(ImportBookkeeping.StagingTable(table, operationId));
                await ExecuteAsync($"CREATE TABLE IF NOT EXISTS {stage} (LIKE {SqlNames.QuoteTable(table)} INCLUDING DEFAULTS)", transaction, cancellationToken).ConfigureAwait(false);
            }
            await using var insert = new NpgsqlCommand(InsertState, connection, transaction);
            insert.Parameters.AddWithValue("id", operationId);
            insert.Parameters.AddWithValue("offset", initial.Offset);
            insert.Parameters.AddWithValue("line", initial.Line);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        var into = staging ? ImportBookkeeping.StagingTable(table, operationId) : table;
        _copy = $"COPY {SqlNames.QuoteTable(into)} ({string.Join(", ", columns.Select(c => SqlNames.Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var select = new NpgsqlCommand(SelectState, connection);
        select.Parameters.AddWithValue("id", operationId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ImportState(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetBoolean(5));
    }

    public async Task<bool> CommitAsync(string operationId, ImportState before, ImportState after, ImportBatch batch, IReadOnlyList<ImportError> reported, CancellationToken cancellationToken)
    {
        // Its own transaction, or the held one (committed later by ReleaseAsync).
        await using var own = _held is null ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        var transaction = own ?? _held!;
        if (!await MoveAsync(operationId, before, after, transaction, cancellationToken).ConfigureAwait(false)) return false;
        if (batch.Rows > 0)
        {
            await using var importer = await connection.BeginBinaryImportAsync(_copy!, cancellationToken).ConfigureAwait(false);
            // Synchronous writes: they only fill Npgsql's buffer (flushed as it fills), and an await per cell costs more than the COPY.
            for (var r = 0; r < batch.Rows; r++)
            {
                importer.StartRow();
                var row = batch.Row(r);
                for (var c = 0; c < row.Length; c++) Write(importer, batch, row[c], batch.Columns[c].Kind.GetValueOrDefault());
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        await InsertErrorsAsync(operationId, reported, transaction, cancellationToken).ConfigureAwait(false);
        if (own is not null) await own.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> FinishAsync(string operationId, ImportState state, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await MoveAsync(operationId, state, state with { Done = true }, transaction, cancellationToken).ConfigureAwait(false)) return false;
        if (staging)
        {
            var stage = SqlNames.QuoteTable(ImportBookkeeping.StagingTable(table, operationId));
            var names = string.Join(", ", columns.Select(c => SqlNames.Quote(c.Name)));
            await ExecuteAsync($"INSERT INTO {SqlNames.QuoteTable(table)} ({names}) SELECT {names} FROM {stage}", transaction, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync($"DROP TABLE {stage}", transaction, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task AbandonAsync(string operationId, CancellationToken cancellationToken)
    {
        if (!staging) return;
        await ExecuteAsync($"DROP TABLE IF EXISTS {SqlNames.QuoteTable(ImportBookkeeping.StagingTable(table, operationId))}", null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ImportError>> ErrorsAsync(string operationId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT line, column_name, reason FROM {ImportBookkeeping.ErrorTable} WHERE operation_id = @id ORDER BY line", connection);
        command.Parameters.AddWithValue("id", operationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var errors = new List<ImportError>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            errors.Add(new ImportError(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        return errors;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private async Task<bool> MoveAsync(string operationId, ImportState before, ImportState after, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var move = new NpgsqlCommand(MoveState, connection, transaction);
        move.Parameters.AddWithValue("id", operationId);
        move.Parameters.AddWithValue("before", before.Offset);
        move.Parameters.AddWithValue("offset", after.Offset);
        move.Parameters.AddWithValue("line", after.Line);
        move.Parameters.AddWithValue("inserted", after.Inserted);
        move.Parameters.AddWithValue("skipped", after.Skipped);
        move.Parameters.AddWithValue("reported", after.Reported);
        move.Parameters.AddWithValue("done", after.Done);
        return await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private async Task InsertErrorsAsync(string operationId, IReadOnlyList<ImportError> errors, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var error in errors)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO {ImportBookkeeping.ErrorTable} (operation_id, line, column_name, reason) VALUES (@id, @line, @column, @reason)", connection, transaction);
            insert.Parameters.AddWithValue("id", operationId);
            insert.Parameters.AddWithValue("line", error.Line);
            insert.Parameters.AddWithValue("column", (object?)error.Column ?? DBNull.Value);
            insert.Parameters.AddWithValue("reason", error.Reason);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(string sql, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
