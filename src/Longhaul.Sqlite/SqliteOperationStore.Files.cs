using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string SelectRunningSeq = "SELECT seq FROM operations WHERE id = $id AND lease_epoch = $epoch AND status = 1";
    private const string DeleteFileChunks = "DELETE FROM operation_file_chunks WHERE operation_seq = $seq AND name = $name";
    private const string DeleteFileEntry = "DELETE FROM operation_files WHERE operation_seq = $seq AND name = $name";

    private const string InsertFileChunk = """
        INSERT OR REPLACE INTO operation_file_chunks (operation_seq, name, idx, epoch, data) VALUES ($seq, $name, $idx, $epoch, $data)
        """;

    private const string InsertFileEntry = """
        INSERT OR REPLACE INTO operation_files (operation_seq, name, epoch, content_type, length, chunks, created_at)
        VALUES ($seq, $name, $epoch, $type, $length, $chunks, $now)
        """;

    /// <summary>Chunks no finished file reads (an abandoned or failed write): dropped once the operation is over.</summary>
    private const string DeleteUnfinishedFileChunks = """
        DELETE FROM operation_file_chunks WHERE operation_seq = $seq AND NOT EXISTS (
            SELECT 1 FROM operation_files f
            WHERE f.operation_seq = operation_file_chunks.operation_seq AND f.name = operation_file_chunks.name AND f.epoch = operation_file_chunks.epoch)
        """;

    private const string CountFileChunks = "SELECT COUNT(*) FROM operation_file_chunks WHERE operation_seq = $seq AND name = $name AND epoch = $epoch AND idx < $chunks";

    private const string SelectFile = """
        SELECT f.epoch, f.content_type, f.length, f.chunks, f.created_at FROM operation_files f
        JOIN operations o ON o.seq = f.operation_seq
        WHERE o.id = $id AND ($tenant IS NULL OR o.tenant = $tenant) AND f.name = $name
        """;

    private const string SelectFileChunk = """
        SELECT data FROM operation_file_chunks
        WHERE operation_seq = (SELECT seq FROM operations WHERE id = $id) AND name = $name AND idx = $idx AND epoch = $epoch
        """;

    /// <inheritdoc/>
    public Task<bool> WriteFileChunkAsync(FileChunkParams p, CancellationToken cancellationToken)
    {
        // A copy: the writer runs the statement on its own thread, and the caller may reuse its buffer once this returns.
        var data = p.Data.ToArray();
        return _writer.ExecuteAsync(scope =>
        {
            if (scope.Command(SelectRunningSeq).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch).ExecuteScalar() is not long seq) return false;
            if (p.Index == 0)
            {
                scope.Command(DeleteFileChunks).P("$seq", seq).P("$name", p.Name).ExecuteNonQuery();
                scope.Command(DeleteFileEntry).P("$seq", seq).P("$name", p.Name).ExecuteNonQuery();
            }
            scope.Command(InsertFileChunk).P("$seq", seq).P("$name", p.Name).P("$idx", p.Index).P("$epoch", p.Lease.Epoch).P("$data", data).ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> FinishFileAsync(FinishFileParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        if (scope.Command(SelectRunningSeq).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch).ExecuteScalar() is not long seq) return false;
        var written = (long)scope.Command(CountFileChunks).P("$seq", seq).P("$name", p.Name).P("$epoch", p.Lease.Epoch).P("$chunks", p.Chunks).ExecuteScalar()!;
        if (written != p.Chunks)
            throw new InvalidOperationException($"File '{p.Name}' of {p.Lease.Id} has {written} of its {p.Chunks} chunks.");
        scope.Command(InsertFileEntry)
            .P("$seq", seq).P("$name", p.Name).P("$epoch", p.Lease.Epoch).P("$type", p.ContentType)
            .P("$length", p.Length).P("$chunks", p.Chunks).P("$now", Now())
            .ExecuteNonQuery();
        return true;
    }, cancellationToken);

    private const string DeleteFileChunksFrom = "DELETE FROM operation_file_chunks WHERE operation_seq = $seq AND name = $name AND idx >= $chunks";
    private const string AdoptFileChunks = "UPDATE operation_file_chunks SET epoch = $epoch WHERE operation_seq = $seq AND name = $name AND idx < $chunks AND epoch <> $epoch";
    private const string CountKeptFileChunks = "SELECT COUNT(*) FROM operation_file_chunks WHERE operation_seq = $seq AND name = $name AND idx < $chunks";

    /// <inheritdoc/>
    public Task<int?> KeepFileChunksAsync(KeepFileChunksParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        if (scope.Command(SelectRunningSeq).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch).ExecuteScalar() is not long seq) return (int?)null;
        scope.Command(DeleteFileEntry).P("$seq", seq).P("$name", p.Name).ExecuteNonQuery();
        scope.Command(DeleteFileChunksFrom).P("$seq", seq).P("$name", p.Name).P("$chunks", p.Chunks).ExecuteNonQuery();
        // Only on a resume: SQLite rewrites each moved row (its blob too), which a resumed export pays once.
        scope.Command(AdoptFileChunks).P("$seq", seq).P("$name", p.Name).P("$chunks", p.Chunks).P("$epoch", p.Lease.Epoch).ExecuteNonQuery();
        return (int)(long)scope.Command(CountKeptFileChunks).P("$seq", seq).P("$name", p.Name).P("$chunks", p.Chunks).ExecuteScalar()!;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<StoredFile?> GetFileAsync(GetFileParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectFile;
        command.P("$id", p.OperationId).P("$tenant", p.Tenant).P("$name", p.Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new StoredFile(p.OperationId, p.Name, reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(0), Time(reader.GetInt64(4)));
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadFileChunkAsync(ReadFileChunkParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectFileChunk;
        command.P("$id", p.File.OperationId).P("$name", p.File.Name).P("$idx", p.Index).P("$epoch", p.File.Epoch);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }
}
