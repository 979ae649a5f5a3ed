using Longhaul.Execution;
using Npgsql;

namespace Longhaul.Postgres;

/// <summary>Starting operations from code inside the app's own PostgreSQL transaction.</summary>
public static class PostgresOperationStarterExtensions
{
    /// <summary>
    /// Starts an operation inside <paramref name="transaction"/>, the app's own, so that the app's writes and the
    /// operation commit together or not at all (River's <c>InsertTx</c>, Oban's insert in <c>Repo.transaction</c>). It is
    /// checked and resolved exactly as <see cref="IOperationStarter.StartAsync"/> does; the operation becomes visible,
    /// claimable and its idempotency key taken only when the caller commits, and the workers are woken then. After a
    /// rollback nothing of it remains and the key is free. See <see cref="PostgresOperationStore.StartInTransactionAsync"/>
    /// for what it does on the transaction's connection.
    /// </summary>
    /// <exception cref="OperationValidationException">The kind is unknown, the input or an option is invalid; nothing was written.</exception>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with a different start.</exception>
    /// <exception cref="IdempotencyKeyInFlightException">A request with the key is still being processed.</exception>
    /// <exception cref="InvalidOperationException">
    /// The starter is not Longhaul's on a PostgreSQL store (<c>AddLonghaulPostgres</c>), or the transaction has ended.
    /// </exception>
    public static async Task<OperationStartResult> StartInTransactionAsync(
        this IOperationStarter starter, NpgsqlTransaction transaction, string kind, object? input,
        OperationStartOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(starter);
        ArgumentNullException.ThrowIfNull(transaction);
        if (starter is not StoreOperationStarter { Store: PostgresOperationStore store } own)
        {
            throw new InvalidOperationException(
                "StartInTransactionAsync needs Longhaul's own IOperationStarter on the PostgreSQL store (AddLonghaul with AddLonghaulPostgres).");
        }
        var p = await own.PrepareAsync(kind, input, options, cancellationToken).ConfigureAwait(false);
        return StoreOperationStarter.Finish(await store.StartInTransactionAsync(transaction, p, cancellationToken).ConfigureAwait(false));
    }
}
