using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string InsertUpload = """
        INSERT INTO uploads (id, tenant, length, received, metadata, created_at, expires_at)
        VALUES ($id, $tenant, $length, 0, $metadata, $now, CASE WHEN $length = 0 THEN $now + $retention ELSE $now + $lifetime END)
        """;

    private const string SelectUpload = """
        SELECT id, tenant, length, received, metadata, created_at, expires_at FROM uploads
        WHERE id = $id AND ($tenant IS NULL OR tenant = $tenant)
        """;

    private const string SelectLiveUpload = "SELECT length, received FROM uploads WHERE id = $id AND tenant = $tenant AND expires_at > $now";

    private const string InsertUploadChunk = "INSERT OR REPLACE INTO upload_chunks (upload_id, start, data) VALUES ($id, $start, $data)";

    private const string MoveUploadOffset = """
        UPDATE uploads SET received = $to, expires_at = CASE WHEN $to = length THEN $now + $retention ELSE expires_at END WHERE id = $id
        """;

    private const string DeleteUploadChunksFrom = "DELETE FROM upload_chunks WHERE upload_id = $id AND start >= $from";

    private const string SelectUploadChunk = """
        SELECT c.rowid, c.start, length(c.data) FROM upload_chunks c JOIN uploads u ON u.id = c.upload_id
        WHERE c.upload_id = $id AND c.start <= $at AND $at < u.received ORDER BY c.start DESC LIMIT 1
        """;

    private const string PruneUploadChunks = "DELETE FROM upload_chunks WHERE upload_id IN (SELECT id FROM uploads WHERE expires_at <= $now)";

    /// <inheritdoc/>
    public Task CreateUploadAsync(CreateUploadParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        scope.Command(InsertUpload).P("$id", p.Id).P("$tenant", p.Tenant).P("$length", p.Length).P("$metadata", p.Metadata).P("$now", Now())
            .P("$lifetime", (long)p.Lifetime.TotalMilliseconds).P("$retention", (long)p.Retention.TotalMilliseconds).ExecuteNonQuery();
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<UploadRecord?> GetUploadAsync(GetUploadParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectUpload;
        command.P("$id", p.Id).P("$tenant", p.Tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var expiresAt = reader.GetInt64(6);
        return new UploadRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), Time(reader.GetInt64(5)), Time(expiresAt), expiresAt <= Now());
    }

    /// <inheritdoc/>
    public Task<long?> WriteUploadChunkAsync(UploadChunkParams p, CancellationToken cancellationToken)
    {
        var data = p.DataArray();
        return _writer.ExecuteAsync<long?>(scope =>
        {
            var now = Now();
            long length, received;
            using (var reader = scope.Command(SelectLiveUpload).P("$id", p.Id).P("$tenant", p.Tenant).P("$now", now).ExecuteReader())
            {
                if (!reader.Read()) return null;
                (length, received) = (reader.GetInt64(0), reader.GetInt64(1));
            }
            if (p.Offset + data.Length > length) return null;
            if (p.Advance ? received != p.Offset : p.Offset < received) return null;
            scope.Command(InsertUploadChunk).P("$id", p.Id).P("$start", p.Offset).P("$data", data).ExecuteNonQuery();
            if (!p.Advance) return received;
            var to = p.Offset + data.Length;
            scope.Command(MoveUploadOffset).P("$id", p.Id).P("$to", to).P("$now", now).P("$retention", (long)p.Retention.TotalMilliseconds).ExecuteNonQuery();
            return to;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> CommitUploadAsync(CommitUploadParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        using (var reader = scope.Command(SelectLiveUpload).P("$id", p.Id).P("$tenant", p.Tenant).P("$now", now).ExecuteReader())
        {
            if (!reader.Read() || reader.GetInt64(1) != p.From || p.To > reader.GetInt64(0) || p.To < p.From) return false;
        }
        scope.Command(DeleteUploadChunksFrom).P("$id", p.Id).P("$from", p.To).ExecuteNonQuery();
        scope.Command(MoveUploadOffset).P("$id", p.Id).P("$to", p.To).P("$now", now).P("$retention", (long)p.Retention.TotalMilliseconds).ExecuteNonQuery();
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteUploadAsync(DeleteUploadParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        if (scope.Command("DELETE FROM uploads WHERE id = $id AND tenant = $tenant").P("$id", p.Id).P("$tenant", p.Tenant).ExecuteNonQuery() == 0) return false;
        scope.Command(DeleteUploadChunksFrom).P("$id", p.Id).P("$from", 0L).ExecuteNonQuery();
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<UploadChunk?> ReadUploadChunkAsync(ReadUploadChunkParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectUploadChunk;
        command.P("$id", p.Id).P("$at", p.At);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var start = reader.GetInt64(1);
        var length = reader.GetInt32(2);
        var data = p.Into is { } into && into.Length >= length ? into : new byte[length];
        // Incremental blob I/O, while the reader keeps the row's snapshot: the bytes go straight into the caller's
        // buffer. (GetBytes would first copy the whole 1 MiB value into a new array: a large-object-heap garbage array
        // per chunk read, which piled up to tens of MB during an import until a full GC.)
        using (var blob = new SqliteBlob(connection, "upload_chunks", "data", reader.GetInt64(0), readOnly: true)) blob.ReadExactly(data, 0, length);
        return new UploadChunk(start, data, length);
    }
}
