using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // FOR SHARE holds off a concurrent claim, reap or completion (they UPDATE the row) until this write commits, so a
    // write whose epoch was current when it ran is also current when it becomes visible.
    private const string SelectRunningSeqForShare = "SELECT seq FROM operations WHERE id = @id AND lease_epoch = @epoch AND status > 0 AND status < 2 FOR SHARE";
    private const string DeleteFileChunks = "DELETE FROM operation_file_chunks WHERE operation_seq = @seq AND name = @name";
    private const string DeleteFileEntry = "DELETE FROM operation_files WHERE operation_seq = @seq AND name = @name";

    private const string UpsertFileChunk = """
        INSERT INTO operation_file_chunks (operation_seq, name, idx, epoch, data) VALUES (@seq, @name, @idx, @epoch, @data)
        ON CONFLICT (operation_seq, name, idx) DO UPDATE SET epoch = EXCLUDED.epoch, data = EXCLUDED.data
        """;

    /// <summary>Chunks no finished file reads (an abandoned or failed write): dropped once the operation is over.</summary>
    private const string DeleteUnfinishedFileChunks = """
        DELETE FROM operation_file_chunks c WHERE c.operation_seq = @seq AND NOT EXISTS (
            SELECT 1 FROM operation_files f WHERE f.operation_seq = c.operation_seq AND f.name = c.name AND f.epoch = c.epoch)
        """;

    private const string CountFileChunks = "SELECT COUNT(*) FROM operation_file_chunks WHERE operation_seq = @seq AND name = @name AND epoch = @epoch AND idx < @chunks";

    private const string UpsertFileEntry = $"""
        INSERT INTO operation_files (operation_seq, name, epoch, content_type, length, chunks, created_at)
        VALUES (@seq, @name, @epoch, @type, @length, @chunks, {Now})
        ON CONFLICT (operation_seq, name) DO UPDATE
        SET epoch = EXCLUDED.epoch, content_type = EXCLUDED.content_type, length = EXCLUDED.length, chunks = EXCLUDED.chunks, created_at = EXCLUDED.created_at
        """;

    private const string SelectFile = """
        SELECT f.epoch, f.content_type, f.length, f.chunks, f.created_at FROM operation_files f
        JOIN operations o ON o.seq = f.operation_seq
        WHERE o.id = @id AND (@tenant IS NULL OR o.tenant = @tenant) AND f.name = @name
        """;

    private const string SelectFileChunk = """
        SELECT data FROM operation_file_chunks
        WHERE operation_seq = (SELECT seq FROM operations WHERE id = @id) AND name = @name AND idx = @idx AND epoch = @epoch
        """;

    /// <inheritdoc/>
    public Task<bool> WriteFileChunkAsync(FileChunkParams p, CancellationToken cancellationToken)
    {
        // Before the write: from here on the completion of this attempt deletes the chunks of unfinished files.
        _chunkWriters[p.Lease.Id] = 0;
        var data = p.Data.ToArray();
        return WriteAsync(async scope =>
        {
            if (await RunningSeqAsync(scope, p.Lease, cancellationToken).ConfigureAwait(false) is not { } seq) return false;
            if (p.Index == 0)
            {
                await ExecuteAsync(scope.Command(DeleteFileChunks).P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(scope.Command(DeleteFileEntry).P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
            }
            await ExecuteAsync(scope.Command(UpsertFileChunk)
                .P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text).P("idx", p.Index, NpgsqlDbType.Integer)
                .P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint).P("data", data, NpgsqlDbType.Bytea), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> FinishFileAsync(FinishFileParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        if (await RunningSeqAsync(scope, p.Lease, cancellationToken).ConfigureAwait(false) is not { } seq) return false;
        long written;
        await using (var count = scope.Command(CountFileChunks)
            .P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text).P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint).P("chunks", p.Chunks, NpgsqlDbType.Integer))
        {
            written = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        if (written != p.Chunks)
            throw new InvalidOperationException($"File '{p.Name}' of {p.Lease.Id} has {written} of its {p.Chunks} chunks.");
        await ExecuteAsync(scope.Command(UpsertFileEntry)
            .P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text).P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint)
            .P("type", p.ContentType, NpgsqlDbType.Text).P("length", p.Length, NpgsqlDbType.Bigint).P("chunks", p.Chunks, NpgsqlDbType.Integer),
            cancellationToken).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    private const string DeleteFileChunksFrom = "DELETE FROM operation_file_chunks WHERE operation_seq = @seq AND name = @name AND idx >= @chunks";
    private const string AdoptFileChunks = "UPDATE operation_file_chunks SET epoch = @epoch WHERE operation_seq = @seq AND name = @name AND idx < @chunks AND epoch <> @epoch";
    private const string CountKeptFileChunks = "SELECT COUNT(*) FROM operation_file_chunks WHERE operation_seq = @seq AND name = @name AND idx < @chunks";

    /// <inheritdoc/>
    public Task<int?> KeepFileChunksAsync(KeepFileChunksParams p, CancellationToken cancellationToken)
    {
        // As a chunk write: from here on the completion of this attempt deletes the chunks of unfinished files.
        _chunkWriters[p.Lease.Id] = 0;
        return WriteAsync(async scope =>
        {
            if (await RunningSeqAsync(scope, p.Lease, cancellationToken).ConfigureAwait(false) is not { } seq) return (int?)null;
            await ExecuteAsync(scope.Command(DeleteFileEntry).P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(scope.Command(DeleteFileChunksFrom).P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text)
                .P("chunks", p.Chunks, NpgsqlDbType.Integer), cancellationToken).ConfigureAwait(false);
            // The data column is not changed: PostgreSQL keeps the TOASTed bytes and writes only the new row versions.
            await ExecuteAsync(scope.Command(AdoptFileChunks).P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text)
                .P("chunks", p.Chunks, NpgsqlDbType.Integer).P("epoch", p.Lease.Epoch, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
            await using var count = scope.Command(CountKeptFileChunks).P("seq", seq, NpgsqlDbType.Bigint).P("name", p.Name, NpgsqlDbType.Text)
                .P("chunks", p.Chunks, NpgsqlDbType.Integer);
            return (int?)(int)(long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<StoredFile?> GetFileAsync(GetFileParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectFile)
            .P("id", p.OperationId, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text).P("name", p.Name, NpgsqlDbType.Text);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new StoredFile(p.OperationId, p.Name, reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(0),
            reader.GetFieldValue<DateTimeOffset>(4));
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadFileChunkAsync(ReadFileChunkParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectFileChunk)
            .P("id", p.File.OperationId, NpgsqlDbType.Text).P("name", p.File.Name, NpgsqlDbType.Text)
            .P("idx", p.Index, NpgsqlDbType.Integer).P("epoch", p.File.Epoch, NpgsqlDbType.Bigint);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    private static async Task<long?> RunningSeqAsync(PostgresWriteScope scope, LeaseRef lease, CancellationToken cancellationToken)
    {
        await using var command = scope.Command(SelectRunningSeqForShare).P("id", lease.Id, NpgsqlDbType.Text).P("epoch", lease.Epoch, NpgsqlDbType.Bigint);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }
}
