namespace Longhaul.Import;

/// <summary>
/// The target database of one import attempt, on one open connection. Every chunk commits its rows, its errors and the
/// import's new state in one transaction, and only when the stored state is still the one the chunk started from: a
/// crash at any point resumes after the last committed chunk, and a second worker (a lost lease) commits nothing twice.
/// </summary>
internal interface IImportTarget : IAsyncDisposable
{
    /// <summary>Creates the bookkeeping tables (and the staging table) when missing; stores the import's first state unless one is stored; returns the stored one.</summary>
    Task<ImportState> BeginAsync(string operationId, ImportState initial, CancellationToken cancellationToken);

    /// <summary>Writes the chunk (into the staging table when staging) with its errors and <paramref name="after"/>; false, with nothing written, when the stored state is not <paramref name="before"/>.</summary>
    Task<bool> CommitAsync(string operationId, ImportState before, ImportState after, ImportBatch batch, IReadOnlyList<ImportError> reported, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the held transaction: the next chunks' <see cref="CommitAsync"/> write into it (rows, errors, the moved
    /// state) without committing, until <see cref="ReleaseAsync"/>. A crash meanwhile leaves nothing of them.
    /// </summary>
    Task HoldAsync(CancellationToken cancellationToken);

    /// <summary>Ends the held transaction, if one is open: commits it (with the state of its last chunk) or rolls it back.</summary>
    Task ReleaseAsync(bool commit, CancellationToken cancellationToken);

    /// <summary>Marks the import done; when staging, first adds the staged rows to the table and drops the staging table, all in one transaction. False when the state moved.</summary>
    Task<bool> FinishAsync(string operationId, ImportState state, CancellationToken cancellationToken);

    /// <summary>Drops the staging table (a cancelled or failed all-or-nothing import).</summary>
    Task AbandonAsync(string operationId, CancellationToken cancellationToken);

    /// <summary>The stored errors, in line order.</summary>
    Task<IReadOnlyList<ImportError>> ErrorsAsync(string operationId, CancellationToken cancellationToken);
}
