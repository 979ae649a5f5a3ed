using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    /// <summary>The store's schema first for the rest of the caller's transaction; answers the search path it replaces.</summary>
    private const string EnterSchema = "SELECT current_setting('search_path'), set_config('search_path', @schema, true)";

    private const string LeaveSchema = "SELECT set_config('search_path', @path, true)";

    /// <summary>
    /// The node tag of a wake-up sent from a caller's transaction: 8 characters, never a node's (those are hex digits),
    /// so every node, this one included, hears it (see <see cref="PostgresStoreNotifier"/>'s payloads).
    /// </summary>
    private const string TransactionTag = "tx-start";

    private const string NotifyOne = "SELECT pg_notify(@channel, @payload)";

    /// <summary>
    /// Starts an operation inside the caller's own <paramref name="transaction"/>, on its connection (not the store's
    /// pool, not the group commit), exactly as <see cref="StartAsync"/> does otherwise: the operation, its idempotency
    /// key and the workers' wake-up commit with the caller's own writes, or roll back with them and leave nothing, the
    /// key free. The wake-up is a <c>pg_notify</c> in the transaction, which PostgreSQL delivers at commit and drops at
    /// rollback (polling stays the backstop). The transaction's connection must reach the store's database; for the
    /// statements of the start, the store's schema is put first on the transaction's search path, and the caller's
    /// path is restored after them. With a key, starts under the same tenant and key wait for this transaction to end
    /// (a transaction-scoped advisory lock), so hold the transaction briefly. When this throws, roll the transaction back.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transaction has already committed or rolled back.</exception>
    public async Task<StartResult> StartInTransactionAsync(NpgsqlTransaction transaction, StartParams p, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(p);
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction has already committed or rolled back; start the operation in an open transaction.");
        string previousPath;
        await using (var enter = new NpgsqlCommand(EnterSchema, connection, transaction))
        {
            enter.P("schema", _schema, NpgsqlDbType.Text);
            previousPath = (string)(await enter.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        var scope = new PostgresWriteScope(connection, transaction, ClockValue());
        var result = await CreateInScopeAsync(scope, p, p.Operation.Input.GetRawText(), ToJson(p.Operation.Metadata), cancellationToken).ConfigureAwait(false);
        if (_notifications && scope.Notifications.Count > 0)
        {
            await using var notify = new NpgsqlCommand(NotifyOne, connection, transaction);
            notify.P("channel", PostgresCoordination.Channel(_schema), NpgsqlDbType.Text);
            notify.P("payload", $"{TransactionTag}{(char)('0' + (int)StoreNotificationKind.WorkAvailable)}", NpgsqlDbType.Text);
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var leave = new NpgsqlCommand(LeaveSchema, connection, transaction))
        {
            leave.P("path", previousPath, NpgsqlDbType.Text);
            await leave.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return result;
    }
}
