using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>
/// Everything durable. Every worker write carries a <see cref="LeaseRef"/>: a write whose epoch is stale changes
/// nothing and returns false. All lease arithmetic uses the store's (database's) clock.
/// </summary>
public interface IOperationStore
{
    /// <summary>True when one process owns the store, so at start-up every running lease is from its previous life.</summary>
    bool OwnsAllLeases { get; }

    Task MigrateAsync(CancellationToken cancellationToken);

    Task<bool> PingAsync(CancellationToken cancellationToken);

    Task<StartResult> StartAsync(StartParams p, CancellationToken cancellationToken);

    Task ReleaseIdempotencyKeyAsync(ReleaseIdempotencyParams p, CancellationToken cancellationToken);

    Task<Operation?> GetAsync(GetParams p, CancellationToken cancellationToken);

    Task<ListResult> ListAsync(ListParams p, CancellationToken cancellationToken);

    Task<IReadOnlyList<OperationEvent>> ReadEventsAsync(ReadEventsParams p, CancellationToken cancellationToken);

    Task<CancelResult> CancelAsync(CancelParams p, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteAsync(DeleteParams p, CancellationToken cancellationToken);

    Task<IReadOnlyList<Operation>> ClaimAsync(ClaimParams p, CancellationToken cancellationToken);

    Task<HeartbeatResult> HeartbeatAsync(HeartbeatParams p, CancellationToken cancellationToken);

    Task<bool> RecordAsync(RecordParams p, CancellationToken cancellationToken);

    Task<bool> AppendOutputAsync(OutputParams p, CancellationToken cancellationToken);

    Task<bool> CompleteAsync(CompleteParams p, CancellationToken cancellationToken);

    /// <summary>Fenced like every worker write; false when the lease is stale or the operation is not running.</summary>
    Task<bool> WriteFileChunkAsync(FileChunkParams p, CancellationToken cancellationToken);

    /// <summary>Fenced; false when the lease is stale or the operation is not running.</summary>
    Task<bool> FinishFileAsync(FinishFileParams p, CancellationToken cancellationToken);

    /// <summary>A finished file of the tenant's operation; null when the operation or the file does not exist.</summary>
    Task<StoredFile?> GetFileAsync(GetFileParams p, CancellationToken cancellationToken);

    /// <summary>The chunk's bytes; null when it is gone (the operation was deleted or the file started over).</summary>
    Task<byte[]?> ReadFileChunkAsync(ReadFileChunkParams p, CancellationToken cancellationToken);

    Task<bool> RetryAsync(RetryParams p, CancellationToken cancellationToken);

    Task<bool> HandBackAsync(HandBackParams p, CancellationToken cancellationToken);

    Task<ReapResult> ReapAsync(ReapParams p, CancellationToken cancellationToken);

    Task<int> PruneAsync(PruneParams p, CancellationToken cancellationToken);

    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellationToken);

    Task<bool> RevokeApiKeyAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The secret stored under <see cref="SecretParams.Name"/>; stores <see cref="SecretParams.Candidate"/> first when
    /// there is none. Every node sharing the store gets the same bytes, also after a restart; a stored secret never
    /// changes.
    /// </summary>
    Task<byte[]> GetOrAddSecretAsync(SecretParams p, CancellationToken cancellationToken);
}
