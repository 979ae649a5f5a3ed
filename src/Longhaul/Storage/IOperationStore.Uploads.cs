namespace Longhaul.Storage;

/// <summary>Resumable uploads (tus at <c>/v1/uploads</c>): the bytes live in the store, so any node reads them.</summary>
public partial interface IOperationStore
{
    /// <summary>Stores a new upload with offset 0 (complete at once when its length is 0). A known id fails with the database's unique-constraint error.</summary>
    Task CreateUploadAsync(CreateUploadParams p, CancellationToken cancellationToken);

    /// <summary>The upload, expired or not (see <see cref="UploadRecord.Expired"/>); null when unknown, pruned or another tenant's.</summary>
    Task<UploadRecord?> GetUploadAsync(GetUploadParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Stores one chunk (see <see cref="UploadChunkParams"/>). Refused (null, nothing changed) when the upload is unknown,
    /// another tenant's, expired, when the chunk would pass its length, or (with <see cref="UploadChunkParams.Advance"/>)
    /// when its offset is not the chunk's offset, or (staged) when the chunk starts before its offset. Finishing an upload
    /// moves its expiry to now plus the retention.
    /// </summary>
    /// <returns>The upload's offset after the write; null when refused.</returns>
    Task<long?> WriteUploadChunkAsync(UploadChunkParams p, CancellationToken cancellationToken);

    /// <summary>See <see cref="CommitUploadParams"/>; false (nothing changed) when the upload is unknown, another tenant's, expired or not at <see cref="CommitUploadParams.From"/>.</summary>
    Task<bool> CommitUploadAsync(CommitUploadParams p, CancellationToken cancellationToken);

    /// <summary>Deletes the upload and its chunks; false when unknown or another tenant's.</summary>
    Task<bool> DeleteUploadAsync(DeleteUploadParams p, CancellationToken cancellationToken);

    /// <summary>The chunk that holds the byte at <see cref="ReadUploadChunkParams.At"/> when that lies below the upload's offset; null otherwise (also once the upload is gone).</summary>
    Task<UploadChunk?> ReadUploadChunkAsync(ReadUploadChunkParams p, CancellationToken cancellationToken);
}
