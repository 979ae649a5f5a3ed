using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>
/// Everything durable: operations, their event logs, idempotency keys, files, API keys and server secrets.
/// </summary>
/// <remarks>
/// <para>
/// <b>Who implements it.</b> Longhaul's own stores only: <c>SqliteOperationStore</c> and <c>PostgresOperationStore</c>.
/// Do not implement it elsewhere. It is public because the stores, the HTTP surface and the server are separate
/// assemblies, not because it is an extension point; its members change whenever the engine needs them to (ADR 14).
/// The contract is the abstract conformance suite (<c>tests/Longhaul.Store.Tests/Conformance</c>), which every store
/// passes; these comments state what it checks and what both stores do. A new store starts by passing that suite.
/// </para>
/// <para>
/// <b>Shared rules.</b> Each method takes one parameter record (or none). Each write is atomic: all of its changes commit
/// or none do. A group commit may put several callers' writes in one transaction (SQLite: every write; PostgreSQL: the
/// worker's progress, output and completion writes); when that transaction fails, each write runs again alone, so one
/// bad write fails alone. Every timestamp and all lease arithmetic use the store's clock: PostgreSQL's
/// <c>now()</c> (or <c>PostgresStoreOptions.TestClockOverride</c>), SQLite's <see cref="TimeProvider"/> given to the
/// store; never a node's. Notifications (<see cref="IStoreNotifier"/>) are published only after the commit; a listener
/// that throws changes nothing. Every worker write carries a <see cref="LeaseRef"/> and is <i>fenced</i>: when the lease
/// epoch is stale or the operation is not running, the write changes nothing and returns false. Database errors
/// (<c>SqliteException</c>, <c>NpgsqlException</c>) and <see cref="OperationCanceledException"/> propagate; PostgreSQL
/// runs a write again, up to three attempts in all, when the server aborts its transaction as a deadlock victim or a
/// serialization failure.
/// </para>
/// </remarks>
public partial interface IOperationStore
{
    /// <summary>
    /// True when one process owns the store, so at start-up every running lease is from its previous life (SQLite, which
    /// holds an exclusive lock file); false when many nodes share it (PostgreSQL).
    /// </summary>
    bool OwnsAllLeases { get; }

    /// <summary>
    /// Applies the numbered, forward-only migrations not yet applied, in one transaction. Idempotent: calling it again
    /// changes nothing. PostgreSQL creates the schema if needed and holds a transaction-scoped advisory lock, so nodes
    /// migrating at once apply each migration once.
    /// </summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True when the store answers and is migrated (it reads the migrations table); false when the database fails the
    /// read (a <c>DbException</c>). Changes nothing.
    /// </summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends a <c>warning</c> event to a running operation's log under its lease (fenced like output: false, and
    /// nothing written, when the epoch is stale or the operation is not running) and publishes <c>OperationChanged</c>.
    /// </summary>
    /// <returns>Written; refused (nothing changed); or ended by the event limit, as <see cref="RecordAsync"/>.</returns>
    Task<EventWriteResult> AppendWarningAsync(WarningParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Counts unfinished operations by kind and status (pending, running), with the earliest <c>run_after</c> of the
    /// pending ones: the queue gauges on <c>/metrics</c>, read at most every few seconds. Changes nothing. A store that
    /// does not implement it reports no queue (the default).
    /// </summary>
    Task<IReadOnlyList<QueueCount>> CountQueueAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<QueueCount>>([]);

    /// <summary>
    /// Starts an operation: stores it as pending, runnable at once, its timestamps and deadline (now plus
    /// <see cref="OperationToStart.TimeoutSeconds"/>) from the store's clock, and publishes
    /// <see cref="StoreNotificationKind.WorkAvailable"/>. With an <see cref="IdempotencyClaim"/>, the check of the key and
    /// the insert are one transaction (PostgreSQL also serializes starts with the same tenant and key by an advisory
    /// lock). When the tenant's key is stored and within its retention, the answer is
    /// <see cref="StartOutcome.KeyReused"/> if it was recorded with another request hash, else
    /// <see cref="StartOutcome.KeyInFlight"/> while it is held in flight, else <see cref="StartOutcome.Replayed"/> with the
    /// operation's current state; these write and publish nothing. A key past its retention, or whose operation is gone,
    /// is replaced and the operation started. Keys are per tenant. An id already stored fails
    /// with the database's unique-constraint error.
    /// </summary>
    /// <returns><see cref="StartResult.Operation"/> is set for Started and Replayed, null for the other outcomes.</returns>
    Task<StartResult> StartAsync(StartParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the in-flight hold of the tenant's idempotency key (<see cref="IdempotencyClaim.HoldFor"/>), so repeats
    /// replay the operation instead of answering <see cref="StartOutcome.KeyInFlight"/>. No effect when the key is
    /// unknown or not held.
    /// </summary>
    Task ReleaseIdempotencyKeyAsync(ReleaseIdempotencyParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The operation as last committed; null when the id is unknown or belongs to another tenant. A null
    /// <see cref="GetParams.Tenant"/> reads across tenants (engine use only).
    /// </summary>
    Task<Operation?> GetAsync(GetParams p, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the tenant's operations, newest first, filtered by status and kind when given.
    /// <see cref="ListResult.NextCursor"/> is null on the last page; the cursor is a position in start order, so
    /// operations started meanwhile neither repeat nor shift the later pages.
    /// </summary>
    Task<ListResult> ListAsync(ListParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Counts the operations matching <paramref name="p"/>'s filters (its page size and cursor are ignored), examining
    /// at most <see cref="ListParams.ScanLimit"/> of the tenant's operations that match status and kind: when more
    /// match those, the count is a lower bound (<see cref="ListCount.Exact"/> false).
    /// </summary>
    Task<ListCount> CountAsync(ListParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's pending and running operations by kind and status, those finished within the window by kind and
    /// final status, and the queue depth (pending and ready), read through the status and finished-time indexes only.
    /// </summary>
    Task<StoreOverview> OverviewAsync(OverviewParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The operations matching the filter that changed at or after <see cref="ChangesParams.Since"/>, oldest change
    /// first: unfinished ones updated since then and those that finished since then. Finished operations do not change
    /// again, so this reads the unfinished rows (status index) and the recently finished ones (finished-time index) only.
    /// </summary>
    Task<IReadOnlyList<Operation>> ListChangesAsync(ChangesParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The operation's events with a sequence number above <see cref="ReadEventsParams.AfterSeq"/>, oldest first, at
    /// most <see cref="ReadEventsParams.Limit"/>. The sequence is gap-free and a finished operation's log ends with its
    /// final <c>status</c> event and then <c>done</c>. Empty when the id is unknown. Not scoped by tenant: check the
    /// operation's tenant first.
    /// </summary>
    Task<IReadOnlyList<OperationEvent>> ReadEventsAsync(ReadEventsParams p, CancellationToken cancellationToken);

    /// <summary>
    /// A client's cancel, under a lock on the operation's row (PostgreSQL) or on the single writer (SQLite), so it is
    /// ordered against a concurrent claim or completion. <see cref="CancelOutcome.NotFound"/> when the id is unknown or
    /// belongs to another tenant; <see cref="CancelOutcome.AlreadyTerminal"/> when it is finished (nothing changed); a
    /// pending operation is cancelled at once (<see cref="CancelOutcome.Cancelled"/>: final <c>status</c> and <c>done</c>
    /// events, <see cref="StoreNotificationKind.OperationChanged"/>); a running one is marked cancel-requested
    /// (<see cref="CancelOutcome.Requested"/>: a <c>status</c> event, <see cref="StoreNotificationKind.CancelRequested"/>
    /// and OperationChanged), and its worker learns of it from its next heartbeat. Idempotent: cancelling a running
    /// operation again answers Requested and changes nothing.
    /// </summary>
    /// <returns>The outcome and the operation's state after the call (null for NotFound).</returns>
    Task<CancelResult> CancelAsync(CancelParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a finished operation of the tenant: its row, events, idempotency keys and files, in one transaction, then
    /// publishes OperationChanged. <see cref="DeleteOutcome.NotFound"/> when the id is unknown or belongs to another
    /// tenant, <see cref="DeleteOutcome.NotTerminal"/> when it is not finished; both change nothing.
    /// </summary>
    Task<DeleteOutcome> DeleteAsync(DeleteParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <see cref="ClaimParams.Max"/> pending operations of <see cref="ClaimParams.Kinds"/> whose
    /// <c>run_after</c> has come, highest priority first, then oldest. Each becomes running with the next attempt and a new
    /// lease epoch, leased to <see cref="ClaimParams.Owner"/> until now plus <see cref="ClaimParams.LeaseDuration"/>
    /// (store clock), <c>started_at</c> set on its first claim, a <c>status</c> event appended and OperationChanged
    /// published. One transaction; concurrent claims never take the same operation (PostgreSQL skips rows another claim
    /// has locked instead of waiting).
    /// </summary>
    /// <returns>The claimed operations in claim order, each with its new <see cref="Operation.LeaseEpoch"/>; empty when none is ready.</returns>
    Task<IReadOnlyList<Operation>> ClaimAsync(ClaimParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Renews, in one transaction, every lease of <see cref="HeartbeatParams.Leases"/> that still holds (its epoch is
    /// current and the operation running) until now plus <see cref="HeartbeatParams.LeaseDuration"/>. The owner is not
    /// checked: the epoch fences. Appends no event and publishes nothing.
    /// </summary>
    /// <returns>
    /// <see cref="HeartbeatResult.Lost"/>: the ids whose lease did not hold (renewed nothing; the worker must stop);
    /// <see cref="HeartbeatResult.CancelRequested"/>: renewed leases whose operation a client asked to cancel.
    /// </returns>
    Task<HeartbeatResult> HeartbeatAsync(HeartbeatParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: stores progress (with its estimated completion) and/or a checkpoint; a null one keeps its stored value.
    /// Progress also appends a <c>progress</c> event and publishes OperationChanged; a checkpoint alone appends nothing.
    /// </summary>
    /// <returns>
    /// Written; or refused when the lease epoch is stale or the operation is not running (nothing changed); or, for a write
    /// with a progress event that the operation's event log has no room for, ended by the event limit (ADR 0037).
    /// </returns>
    Task<EventWriteResult> RecordAsync(RecordParams p, CancellationToken cancellationToken);

    /// <summary>Fenced: appends one <c>output</c> event holding the chunk's JSON as given, and publishes OperationChanged.</summary>
    /// <returns>Written; refused (nothing changed); or ended by the event limit, as <see cref="RecordAsync"/>.</returns>
    Task<EventWriteResult> AppendOutputAsync(OutputParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: moves the operation to its final <see cref="CompleteParams.Status"/> with the result or error,
    /// <c>finished_at</c> from the store's clock and the lease released; appends the final <c>status</c> event and the
    /// <c>done</c> event; drops the chunks of files never finished; publishes OperationChanged.
    /// </summary>
    /// <returns>True when written; false when the lease epoch is stale or the operation is not running (nothing changed).</returns>
    /// <exception cref="ArgumentException">The status is not final (nothing is written).</exception>
    Task<bool> CompleteAsync(CompleteParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: stores one chunk of a file under the lease's epoch (replacing a stored chunk with the same index). Chunk 0 starts
    /// the file over: its earlier chunks and its finished entry are dropped in the same write. The data is copied before
    /// the call returns, so the caller may reuse its buffer.
    /// </summary>
    /// <returns>True when written; false when the lease epoch is stale or the operation is not running (nothing changed).</returns>
    Task<bool> WriteFileChunkAsync(FileChunkParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: makes the file readable (replacing an earlier finished entry of the same name) once chunks 0 to
    /// <see cref="FinishFileParams.Chunks"/> - 1 of this epoch are all stored.
    /// </summary>
    /// <returns>True when written; false when the lease epoch is stale or the operation is not running (nothing changed).</returns>
    /// <exception cref="InvalidOperationException">A chunk is missing; nothing changed and the file stays unreadable.</exception>
    Task<bool> FinishFileAsync(FinishFileParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: keeps chunks 0 to <see cref="KeepFileChunksParams.Chunks"/> - 1 of the file, whichever attempt of the
    /// operation wrote them, moving them to this lease's epoch (so a later <see cref="FinishFileAsync"/> counts them), and
    /// drops the file's other chunks and its finished entry, all in one write. The caller continues with chunk
    /// <see cref="KeepFileChunksParams.Chunks"/> (or rewrites the last kept one). Used to resume a file after a crash from
    /// a checkpoint that recorded how much of it was stored.
    /// </summary>
    /// <returns>
    /// The number of chunks below <see cref="KeepFileChunksParams.Chunks"/> that exist (now under this epoch); fewer than
    /// asked means the file lost chunks and must be written again. Null when the lease epoch is stale or the operation is
    /// not running (nothing changed).
    /// </returns>
    Task<int?> KeepFileChunksAsync(KeepFileChunksParams p, CancellationToken cancellationToken);

    /// <summary>
    /// A finished file of the tenant's operation; null when the operation (or the tenant's operation) or the finished file
    /// does not exist. A null <see cref="GetFileParams.Tenant"/> reads across tenants.
    /// </summary>
    Task<StoredFile?> GetFileAsync(GetFileParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The bytes of one chunk of the file as <see cref="GetFileAsync"/> described it (its epoch); null when the chunk is
    /// gone (the operation was deleted or pruned, or the file started over).
    /// </summary>
    Task<byte[]?> ReadFileChunkAsync(ReadFileChunkParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's finished operation files and their bytes, read from the file table (the figure a storage limit
    /// would check); files go with their operation (delete, prune).
    /// </summary>
    Task<StorageUsage> GetStorageUsageAsync(StorageUsageParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: after a failed attempt, back to pending with the error, runnable again at now plus
    /// <see cref="RetryParams.Delay"/> (store clock), the lease released and the attempt counted; appends a <c>status</c>
    /// event (reason <c>retry</c>, <c>retry_at</c>) and publishes OperationChanged (not WorkAvailable: the operation is
    /// not ready yet; workers' polling finds it).
    /// </summary>
    /// <returns>True when written; false when the lease epoch is stale or the operation is not running (nothing changed).</returns>
    Task<bool> RetryAsync(RetryParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: a worker shutting down gives the operation back: pending and runnable at once, the lease released and the
    /// attempt not counted (the next claim has the same attempt number); appends a <c>status</c> event (reason
    /// <c>handed_back</c>) and publishes OperationChanged and WorkAvailable.
    /// </summary>
    /// <returns>True when written; false when the lease epoch is stale or the operation is not running (nothing changed).</returns>
    Task<bool> HandBackAsync(HandBackParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Maintenance, in one transaction and this order. Orphans are running operations whose lease expired before now
    /// (store clock), or every running operation with <see cref="ReapParams.AllLeasesOf"/>. An orphan whose cancel was
    /// requested becomes cancelled; one with no attempts left fails with <see cref="OperationErrors.WorkerLost"/>; any
    /// other orphan not past its deadline returns to pending, runnable at once, its attempt kept (a <c>status</c> event,
    /// reason <c>lease_expired</c>). Then pending operations and orphans past their deadline fail with
    /// <see cref="OperationErrors.DeadlineExceeded"/>. Final states get their <c>status</c> and <c>done</c> events;
    /// every changed operation publishes OperationChanged, and WorkAvailable goes out when any was requeued. Idempotent: a
    /// second sweep finds nothing the first one handled.
    /// </summary>
    /// <returns>How many orphans were requeued and how many operations failed (cancelled ones are in neither count).</returns>
    Task<ReapResult> ReapAsync(ReapParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <see cref="PruneParams.BatchSize"/> operations finished longer than
    /// <see cref="PruneParams.Retention"/> ago (store clock), with their events, idempotency keys and files, every
    /// idempotency key past its retention, and every upload past its expiry (with its chunks), in one transaction. PostgreSQL takes the longest-finished first and skips rows
    /// another transaction holds. Publishes nothing.
    /// </summary>
    /// <returns>How many operations were deleted (at most the batch size).</returns>
    Task<int> PruneAsync(PruneParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a new, active API key. <see cref="CreateApiKeyParams.CreatedAt"/> is stored as given. An id or key hash
    /// already stored fails with the database's unique-constraint error.
    /// </summary>
    Task CreateApiKeyAsync(CreateApiKeyParams p, CancellationToken cancellationToken);

    /// <summary>The key with this hash, revoked or not (check <see cref="ApiKeyRecord.RevokedAt"/>); null when there is none.</summary>
    Task<ApiKeyRecord?> FindApiKeyAsync(FindApiKeyParams p, CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Revokes an active key, stamping <see cref="ApiKeyRecord.RevokedAt"/> with the store's clock. True when it did;
    /// false when the id is unknown or the key already revoked (nothing changed, so revoking twice is harmless).
    /// </summary>
    Task<bool> RevokeApiKeyAsync(RevokeApiKeyParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The secret stored under <see cref="SecretParams.Name"/>; stores <see cref="SecretParams.Candidate"/> first when
    /// there is none. Every node sharing the store gets the same bytes, also after a restart; a stored secret never
    /// changes.
    /// </summary>
    Task<byte[]> GetOrAddSecretAsync(SecretParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <see cref="ClaimDeliveriesParams.Max"/> webhook deliveries that are pending and due, or delivering
    /// with an expired lease (a lost node's), oldest due first. Each becomes delivering with a new lease epoch, leased to
    /// the owner until now plus the lease duration (store clock). One transaction; concurrent claims never take the
    /// same delivery. Deliveries are stored by the final-state writes (<see cref="CompleteAsync"/>, <see cref="CancelAsync"/>
    /// of a pending operation, <see cref="ReapAsync"/>) in their own transaction, for an operation with a callback URL.
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDeliveriesAsync(ClaimDeliveriesParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Fenced: appends the attempt to the delivery's log (numbered one past the attempts recorded) and moves the
    /// delivery to the attempt's outcome, the lease released (see <see cref="DeliveryAttemptParams"/>).
    /// </summary>
    /// <returns>True when written; false when the epoch is stale or the delivery is not delivering (nothing changed).</returns>
    Task<bool> RecordDeliveryAttemptAsync(DeliveryAttemptParams p, CancellationToken cancellationToken);

    /// <summary>Fenced: the claimed delivery is pending again, due after the delay, its attempts unchanged (see <see cref="DeferDeliveryParams"/>).</summary>
    /// <returns>True when written; false when the epoch is stale or the delivery is not delivering (nothing changed).</returns>
    Task<bool> DeferDeliveryAsync(DeferDeliveryParams p, CancellationToken cancellationToken);

    /// <summary>The tenant's operation's deliveries and attempts; null when the operation is unknown or another tenant's.</summary>
    Task<DeliveryLog?> ReadDeliveryLogAsync(DeliveryLogParams p, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a delivery of the tenant's operation due now with a new retry window, whatever its status (the same
    /// <c>webhook-id</c> is sent again); one being sent is left to its sender.
    /// </summary>
    Task<RedeliverOutcome> RedeliverAsync(RedeliverParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's signing secrets, current first, then any still in a rotation's overlap; stores the candidate as
    /// current first when the tenant has none. Every node gets the same secrets.
    /// </summary>
    Task<IReadOnlyList<WebhookSecret>> GetWebhookSecretsAsync(WebhookSecretsParams p, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: every secret of the tenant still signing expires at now plus the overlap at the latest (so a
    /// zero overlap ends them all), secrets already expired are dropped, and the new secret becomes current.
    /// </summary>
    /// <returns>The tenant's secrets after the rotation, current first.</returns>
    Task<IReadOnlyList<WebhookSecret>> RotateWebhookSecretAsync(RotateWebhookSecretParams p, CancellationToken cancellationToken);
}
