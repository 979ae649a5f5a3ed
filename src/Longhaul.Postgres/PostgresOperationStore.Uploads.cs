using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string InsertUpload = $"""
        INSERT INTO uploads (id, tenant, length, received, metadata, created_at, expires_at)
        VALUES (@id, @tenant, @length, 0, @metadata, {Now}, {Now} + CASE WHEN @length = 0 THEN @retention ELSE @lifetime END)
        """;

    private const string SelectUpload = $"""
        SELECT id, tenant, length, received, metadata, created_at, expires_at, expires_at <= {Now} FROM uploads
        WHERE id = @id AND (@tenant IS NULL OR tenant = @tenant)
        """;

    // FOR UPDATE: two requests writing one upload at once take turns, so the second sees the first one's offset.
    private const string SelectLiveUploadForUpdate = $"SELECT length, received FROM uploads WHERE id = @id AND tenant = @tenant AND expires_at > {Now} FOR UPDATE";

    private const string UpsertUploadChunk = """
        INSERT INTO upload_chunks (upload_id, start, data) VALUES (@id, @start, @data)
        ON CONFLICT (upload_id, start) DO UPDATE SET data = EXCLUDED.data
        """;

    private const string MoveUploadOffset = $"""
        UPDATE uploads SET received = @to, expires_at = CASE WHEN @to = length THEN {Now} + @retention ELSE expires_at END WHERE id = @id
        """;

    private const string DeleteUploadChunksFrom = "DELETE FROM upload_chunks WHERE upload_id = @id AND start >= @from";

    private const string SelectUploadChunk = """
        SELECT c.start, c.data FROM upload_chunks c JOIN uploads u ON u.id = c.upload_id
        WHERE c.upload_id = @id AND c.start <= @at AND @at < u.received ORDER BY c.start DESC LIMIT 1
        """;

    private const string PruneUploads = $"""
        WITH gone AS (DELETE FROM uploads WHERE expires_at <= {Now} RETURNING id)
        DELETE FROM upload_chunks WHERE upload_id IN (SELECT id FROM gone)
        """;

    /// <inheritdoc/>
    public Task CreateUploadAsync(CreateUploadParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
        await ExecuteAsync(scope.Command(InsertUpload)
            .P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text).P("length", p.Length, NpgsqlDbType.Bigint)
            .P("metadata", p.Metadata, NpgsqlDbType.Text).P("lifetime", p.Lifetime, NpgsqlDbType.Interval).P("retention", p.Retention, NpgsqlDbType.Interval),
            cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <inheritdoc/>
    public async Task<UploadRecord?> GetUploadAsync(GetUploadParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectUpload).P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new UploadRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetBoolean(7));
    }

    /// <inheritdoc/>
    public Task<long?> WriteUploadChunkAsync(UploadChunkParams p, CancellationToken cancellationToken)
    {
        var data = p.DataArray();
        return WriteAsync<long?>(async scope =>
        {
            if (await LiveUploadAsync(scope, p.Tenant, p.Id, cancellationToken).ConfigureAwait(false) is not var (length, received)) return null;
            if (p.Offset + data.Length > length) return null;
            if (p.Advance ? received != p.Offset : p.Offset < received) return null;
            await ExecuteAsync(scope.Command(UpsertUploadChunk)
                .P("id", p.Id, NpgsqlDbType.Text).P("start", p.Offset, NpgsqlDbType.Bigint).P("data", data, NpgsqlDbType.Bytea), cancellationToken).ConfigureAwait(false);
            if (!p.Advance) return received;
            var to = p.Offset + data.Length;
            await ExecuteAsync(scope.Command(MoveUploadOffset)
                .P("id", p.Id, NpgsqlDbType.Text).P("to", to, NpgsqlDbType.Bigint).P("retention", p.Retention, NpgsqlDbType.Interval), cancellationToken).ConfigureAwait(false);
            return to;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> CommitUploadAsync(CommitUploadParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        if (await LiveUploadAsync(scope, p.Tenant, p.Id, cancellationToken).ConfigureAwait(false) is not var (length, received)) return false;
        if (received != p.From || p.To > length || p.To < p.From) return false;
        await ExecuteAsync(scope.Command(DeleteUploadChunksFrom).P("id", p.Id, NpgsqlDbType.Text).P("from", p.To, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(MoveUploadOffset)
            .P("id", p.Id, NpgsqlDbType.Text).P("to", p.To, NpgsqlDbType.Bigint).P("retention", p.Retention, NpgsqlDbType.Interval), cancellationToken).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> DeleteUploadAsync(DeleteUploadParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        var deleted = await ExecuteAsync(scope.Command("DELETE FROM uploads WHERE id = @id AND tenant = @tenant")
            .P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        if (deleted == 0) return false;
        await ExecuteAsync(scope.Command(DeleteUploadChunksFrom).P("id", p.Id, NpgsqlDbType.Text).P("from", 0L, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<UploadChunk?> ReadUploadChunkAsync(ReadUploadChunkParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectUploadChunk).P("id", p.Id, NpgsqlDbType.Text).P("at", p.At, NpgsqlDbType.Bigint);
        // Sequential: the bytes go from the socket into the caller's buffer, not into a row buffer first.
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var start = reader.GetInt64(0);
        var length = (int)reader.GetBytes(1, 0, null, 0, 0);
        var data = p.Into is { } into && into.Length >= length ? into : new byte[length];
        var read = 0;
        while (read < length) read += (int)reader.GetBytes(1, read, data, read, length - read);
        return new UploadChunk(start, data, length);
    }

    private static async Task<(long Length, long Received)?> LiveUploadAsync(PostgresWriteScope scope, string tenant, string id, CancellationToken cancellationToken)
    {
        await using var command = scope.Command(SelectLiveUploadForUpdate).P("id", id, NpgsqlDbType.Text).P("tenant", tenant, NpgsqlDbType.Text);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }
}
