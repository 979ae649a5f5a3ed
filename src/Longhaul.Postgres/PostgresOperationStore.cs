using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Longhaul.Contracts;
using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

/// <summary>
/// The multi-node store: one PostgreSQL schema shared by every node. Claims take ready rows with
/// <c>FOR UPDATE SKIP LOCKED</c>; every worker write is fenced by the lease epoch; all time comes from the database
/// clock (<c>now()</c>, the transaction's start) inside the statements, never from a node.
/// </summary>
public sealed partial class PostgresOperationStore : IOperationStore, IAsyncDisposable
{
    /// <summary>
    /// The store's clock in SQL. <c>@clock</c> is bound on every command: null in production (the database's
    /// <c>now()</c>), the test clock's time when <see cref="PostgresStoreOptions.TestClockOverride"/> is set.
    /// </summary>
    private const string Now = "COALESCE(@clock, now())";

    private const string Columns = """
        seq, id, tenant, kind, status, input, metadata, callback_url, priority, attempt, max_attempts, timeout_ms,
        deadline_at, run_after, created_at, updated_at, started_at, finished_at, progress, estimated_completion,
        cancel_requested, result, error, checkpoint, lease_owner, lease_epoch, lease_expires_at, last_event_seq, trace_parent,
        concurrency_key, concurrency_limit, start_by
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _batchDataSource;
    private readonly IStoreNotifier _notifier;
    private readonly TimeProvider? _testClock;
    private readonly bool _notifications;
    private readonly string _schema;
    private readonly int _poolSize;
    private readonly int _dedicatedConnections;
    private readonly PostgresWriteBatcher _batcher;

    /// <summary>
    /// The seq of each operation this node claimed and has not finished, so a batch of worker writes can lock rows in
    /// seq order. Only an ordering hint: a write whose seq is unknown goes last in its batch.
    /// </summary>
    private readonly ConcurrentDictionary<string, long> _claimedSeqs = new(StringComparer.Ordinal);

    private const int MaxClaimedSeqs = 65_536;

    /// <summary>
    /// Operations this node wrote file chunks for in their current attempt (see <see cref="MayHaveFileChunks"/>);
    /// removed when the attempt ends here. Never trimmed: forgetting one could leave chunks behind.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _chunkWriters = new(StringComparer.Ordinal);

    /// <summary>
    /// A store on <see cref="PostgresStoreOptions.Schema"/> of the database <see cref="PostgresStoreOptions.ConnectionString"/>
    /// names, publishing through <paramref name="notifier"/>. Opens no connection yet; run <see cref="MigrateAsync"/> first.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is missing or the schema is not a plain lower-case identifier.</exception>
    public PostgresOperationStore(PostgresStoreOptions options, IStoreNotifier notifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("PostgresStoreOptions.ConnectionString is required.", nameof(options));
        }
        if (!SchemaName().IsMatch(options.Schema))
        {
            throw new ArgumentException(
                $"PostgresStoreOptions.Schema '{options.Schema}' must be a lower-case identifier (letters, digits, underscores; at most 63).",
                nameof(options));
        }
        _schema = options.Schema;
        _testClock = options.TestClockOverride;
        _notifications = options.Notifications;
        _notifier = notifier;
        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = _schema };
        if (!Sets(options.ConnectionString, "MAXIMUMPOOLSIZE", "MAXPOOLSIZE")) connection.MaxPoolSize = PostgresStoreOptions.DefaultMaxPoolSize;
        // The pool's sessions carry no state of their own to reset: advisory locks here are transaction-scoped
        // (pg_advisory_xact_lock), SET only as SET LOCAL, no temporary tables (prepared statements are meant to stay), and LISTEN and the
        // maintenance leader's session-level lock run on their own unpooled connections. So no DISCARD ALL (a round trip
        // and a transaction) at every checkout, unless the connection string asks for it.
        if (!Sets(options.ConnectionString, "NORESETONCLOSE")) connection.NoResetOnClose = true;
        // With sessions kept, Npgsql's automatic preparation pays: the worker statements are parsed and planned once per
        // connection (database CPU per drained operation about halved, docs/benchmarks.md). Behind a proxy that pools
        // transactions and cannot keep prepared statements, set Max Auto Prepare=0 in the connection string.
        if (!Sets(options.ConnectionString, "MAXAUTOPREPARE")) connection.MaxAutoPrepare = PostgresStoreOptions.DefaultMaxAutoPrepare;
        // Durability is not negotiable for an accepted operation, whatever the server's default says.
        connection.Options = $"{connection.Options} -c synchronous_commit=on".Trim();
        _poolSize = connection.MaxPoolSize;
        // The group commit's connection has a pool of its own (one session, counted in Maximum Pool Size): its
        // statements find rows by key, so their generic plans are right, and it plans each of them once. PostgreSQL's
        // own choice for the set statements (one row per operation in arrays) was a new plan on every flush, because
        // the generic plan's guess of 10 rows per array made it look dearer than a plan for the few rows at hand.
        var batch = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { MaxPoolSize = 1 };
        batch.MinPoolSize = Math.Min(batch.MinPoolSize, 1);
        batch.Options = $"{batch.Options} -c plan_cache_mode=force_generic_plan";
        connection.MaxPoolSize = Math.Max(1, _poolSize - 1);
        connection.MinPoolSize = Math.Min(connection.MinPoolSize, connection.MaxPoolSize);
        _poolSize = connection.MaxPoolSize + 1;
        _dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        _batchDataSource = NpgsqlDataSource.Create(batch.ConnectionString);
        // Outside this pool: the maintenance leader's session, and with notifications the LISTEN session and the
        // notification sender's one connection.
        _dedicatedConnections = options.Notifications ? 3 : 1;
        _batcher = new PostgresWriteBatcher(_batchDataSource, notifier, ClockValue, WriteAloneAsync);
    }

    /// <inheritdoc/>
    public bool OwnsAllLeases => false;

    /// <summary>Closes the store's two connection pools.</summary>
    public async ValueTask DisposeAsync()
    {
        await _batchDataSource.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(PostgresSchema.LockMigrations, connection, transaction))
        {
            command.P("schema", _schema, NpgsqlDbType.Text);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await ExecuteAsync(connection, transaction, PostgresSchema.CreateSchema(_schema), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, PostgresSchema.CreateMigrationsTable, cancellationToken).ConfigureAwait(false);
        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand(PostgresSchema.AppliedVersions, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) applied.Add(reader.GetInt32(0));
        }
        foreach (var (version, sql) in PostgresSchema.Migrations)
        {
            if (applied.Contains(version)) continue;
            await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand(PostgresSchema.RecordMigration, connection, transaction);
            record.P("v", version, NpgsqlDbType.Integer);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1 FROM schema_migrations LIMIT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>This node's connection budget against the server's limit, read on a pooled connection (see <see cref="PostgresConnectionBudget"/>).</summary>
    public async Task<PostgresConnectionBudget> ReadConnectionBudgetAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(PostgresCoordination.ConnectionBudget);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) throw new InvalidOperationException("The connection budget query returned no row.");
        return new PostgresConnectionBudget(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), _poolSize, _dedicatedConnections);
    }

    /// <summary>True when the connection string sets one of <paramref name="keys"/> itself (upper case, no spaces: any spelling Npgsql accepts).</summary>
    internal static bool Sets(string connectionString, params string[] keys)
    {
        var set = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        return set.Any(k => keys.Contains(k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), StringComparer.Ordinal));
    }

    /// <summary>The connection string of the store's pool, as the store completed it (for tests).</summary>
    internal string PoolConnectionString => _dataSource.ConnectionString;

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private object ClockValue() => _testClock is null ? DBNull.Value : _testClock.GetUtcNow().ToUniversalTime();

    /// <summary>A read command on a pooled connection, with <c>@clock</c> bound.</summary>
    private NpgsqlCommand ReadCommand(string sql)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("clock", NpgsqlDbType.TimestampTz) { Value = ClockValue() });
        return command;
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one transaction; its notifications go out only after the commit. A transaction
    /// PostgreSQL aborts as a deadlock victim or a serialization failure changed nothing, so it is run again.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<PostgresWriteScope, Task<T>> body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                PostgresWriteScope scope;
                T result;
                await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
                {
                    scope = new PostgresWriteScope(connection, transaction, ClockValue());
                    result = await body(scope).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                foreach (var (kind, id) in scope.Notifications) _notifier.Publish(kind, id);
                return result;
            }
            catch (PostgresException e) when (attempt < MaxWriteAttempts && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // Rolled back by the server: nothing of this attempt is visible, nothing was published.
            }
        }
    }

    private const int MaxWriteAttempts = 3;

    private static JsonElement ParseJson(string json) => JsonSerializer.Deserialize(json, LonghaulJson.Default.JsonElement);

    private static JsonElement? Json(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : ParseJson(r.GetString(i));

    private static DateTimeOffset? Time(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);

    private static string? ToJson(JsonElement? element) => element is { } e ? e.GetRawText() : null;

    private static string ToJson(OperationError error) => JsonSerializer.Serialize(error, LonghaulJson.Default.OperationError);

    private static string? ToJson(ProgressInfo? progress) => progress is null ? null : JsonSerializer.Serialize(progress, LonghaulJson.Default.ProgressInfo);

    /// <summary>Maps a row selected with <see cref="Columns"/>.</summary>
    private static Operation ReadOperation(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(1),
        Tenant = r.GetString(2),
        Kind = r.GetString(3),
        Status = (OperationStatus)r.GetInt32(4),
        Input = ParseJson(r.GetString(5)),
        Metadata = Json(r, 6),
        CallbackUrl = r.IsDBNull(7) ? null : r.GetString(7),
        Priority = r.GetInt32(8),
        Attempt = r.GetInt32(9),
        MaxAttempts = r.GetInt32(10),
        TimeoutSeconds = r.IsDBNull(11) ? null : r.GetInt64(11) / 1000.0,
        DeadlineAt = Time(r, 12),
        RunAfter = r.GetFieldValue<DateTimeOffset>(13),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(14),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(15),
        StartedAt = Time(r, 16),
        FinishedAt = Time(r, 17),
        Progress = r.IsDBNull(18) ? null : JsonSerializer.Deserialize(r.GetString(18), LonghaulJson.Default.ProgressInfo),
        EstimatedCompletion = Time(r, 19),
        CancelRequested = r.GetBoolean(20),
        Result = Json(r, 21),
        Error = r.IsDBNull(22) ? null : JsonSerializer.Deserialize(r.GetString(22), LonghaulJson.Default.OperationError),
        Checkpoint = Json(r, 23),
        LeaseOwner = r.IsDBNull(24) ? null : r.GetString(24),
        LeaseEpoch = r.GetInt64(25),
        LeaseExpiresAt = Time(r, 26),
        LastEventSeq = r.GetInt64(27),
        TraceParent = r.IsDBNull(28) ? null : r.GetString(28),
        ConcurrencyKey = r.IsDBNull(29) ? null : r.GetString(29),
        ConcurrencyLimit = r.IsDBNull(30) ? null : r.GetInt32(30),
        StartBy = Time(r, 31),
    };

    private static async Task<List<Operation>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<Operation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(ReadOperation(reader));
        return list;
    }
}
