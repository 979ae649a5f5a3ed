namespace Longhaul.Storage;

/// <summary>
/// The registry of remote workers (<c>GET /v1/workers</c>): one row per worker, written when a node hears from it, so
/// every node lists every worker. Old rows go with <see cref="IOperationStore.PruneAsync"/>.
/// </summary>
public partial interface IOperationStore
{
    /// <summary>
    /// Records that a node heard from a worker: inserts its row (first seen now) or updates it (last seen now, its key,
    /// its node, its kinds when given, its last claim when <see cref="RecordWorkerParams.Claimed"/>). The caller decides
    /// how often (the API writes at most one row per worker per few seconds); the store's clock gives the times.
    /// </summary>
    Task RecordWorkerAsync(RecordWorkerParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The workers the tenant sees (its own and every-tenant ones; <see cref="ApiKeyRecord.AllTenants"/> lists all),
    /// most recently seen first, each with the count of leases it holds now on that tenant's operations.
    /// </summary>
    Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(ListWorkersParams p, CancellationToken cancellationToken);
}
