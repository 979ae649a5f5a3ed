using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, <c>synchronous=FULL</c>. Every write goes through one
/// <see cref="SqliteWriter"/> (group commit); reads use pooled connections of their own. The store's
/// <see cref="TimeProvider"/> is the database clock: all lease arithmetic happens here.
/// </summary>
public sealed partial class SqliteOperationStore : IOperationStore, IAsyncDisposable
{
    private const string Columns = """
        seq, id, tenant, kind, status, input, metadata, callback_url, priority, attempt, max_attempts, timeout_ms,
        deadline_at, run_after, created_at, updated_at, started_at, finished_at, progress, estimated_completion,
        cancel_requested, result, error, checkpoint, lease_owner, lease_epoch, lease_expires_at, last_event_seq, trace_parent,
        concurrency_key, concurrency_limit, start_by
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SqliteWriter _writer;

    /// <summary>
    /// A store on the SQLite file at <paramref name="databasePath"/> (its folder is created when missing), with
    /// <paramref name="time"/> as the database clock, publishing through <paramref name="notifier"/>. Run
    /// <see cref="MigrateAsync"/> first.
    /// </summary>
    public SqliteOperationStore(string databasePath, TimeProvider time, IStoreNotifier notifier)
    {
        SQLitePCL.Batteries_V2.Init();
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _time = time;
        _writer = new SqliteWriter(_connectionString, notifier);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public bool OwnsAllLeases => true;

    /// <summary>Stops the writer after the writes already queued and closes the pooled connections.</summary>
    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return _writer.DisposeAsync();
    }

    /// <inheritdoc/>
    public Task MigrateAsync(CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        scope.Command(SqliteSchema.CreateMigrationsTable).ExecuteNonQuery();
        var applied = new HashSet<long>();
        using (var reader = scope.Command(SqliteSchema.AppliedVersions).ExecuteReader())
        {
            while (reader.Read()) applied.Add(reader.GetInt64(0));
        }
        foreach (var (version, sql) in SqliteSchema.Migrations)
        {
            if (applied.Contains(version)) continue;
            scope.Command(sql).ExecuteNonQuery();
            scope.Command(SqliteSchema.RecordMigration).P("$v", version).P("$now", Now()).ExecuteNonQuery();
        }
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM schema_migrations LIMIT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Time(r.GetInt64(i));

    private static DateTimeOffset? Time(object? value) => value is long ms ? Time(ms) : null;

    private static JsonElement? Json(object? value) => value is string json ? ParseJson(json) : null;

    private static JsonElement ParseJson(string json) => JsonSerializer.Deserialize(json, LonghaulJson.Default.JsonElement);

    private static JsonElement? Json(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : ParseJson(r.GetString(i));

    private static string? ToJson(JsonElement? element) => element is { } e ? e.GetRawText() : null;

    private static string ToJson(OperationError error) => JsonSerializer.Serialize(error, LonghaulJson.Default.OperationError);

    private static string? ToJson(ProgressInfo? progress) => progress is null ? null : JsonSerializer.Serialize(progress, LonghaulJson.Default.ProgressInfo);

    private static Operation ReadOperation(SqliteDataReader r) => FromRow(Row(r));

    /// <summary>A row's raw column values; cheap enough for the writer thread, which leaves the JSON parsing to the caller.</summary>
    private static object?[] Row(SqliteDataReader r)
    {
        var values = new object?[r.FieldCount];
        r.GetValues(values!);
        return values;
    }

    private static Operation FromRow(object?[] v) => new()
    {
        Id = (string)v[1]!,
        Tenant = (string)v[2]!,
        Kind = (string)v[3]!,
        Status = (OperationStatus)(long)v[4]!,
        Input = ParseJson((string)v[5]!),
        Metadata = Json(v[6]),
        CallbackUrl = v[7] as string,
        Priority = (int)(long)v[8]!,
        Attempt = (int)(long)v[9]!,
        MaxAttempts = (int)(long)v[10]!,
        TimeoutSeconds = v[11] is long timeout ? timeout / 1000.0 : null,
        DeadlineAt = Time(v[12]),
        RunAfter = Time((long)v[13]!),
        CreatedAt = Time((long)v[14]!),
        UpdatedAt = Time((long)v[15]!),
        StartedAt = Time(v[16]),
        FinishedAt = Time(v[17]),
        Progress = v[18] is string progress ? JsonSerializer.Deserialize(progress, LonghaulJson.Default.ProgressInfo) : null,
        EstimatedCompletion = Time(v[19]),
        CancelRequested = (long)v[20]! != 0,
        Result = Json(v[21]),
        Error = v[22] is string error ? JsonSerializer.Deserialize(error, LonghaulJson.Default.OperationError) : null,
        Checkpoint = Json(v[23]),
        LeaseOwner = v[24] as string,
        LeaseEpoch = (long)v[25]!,
        LeaseExpiresAt = Time(v[26]),
        LastEventSeq = (long)v[27]!,
        TraceParent = v[28] as string,
        ConcurrencyKey = v[29] as string,
        ConcurrencyLimit = v[30] is long limit ? (int)limit : null,
        StartBy = Time(v[31]),
    };

    private static Operation? SelectInWriter(WriteScope scope, string? tenant, string id)
    {
        var command = scope.Command($"SELECT {Columns} FROM operations WHERE id = $id AND ($tenant IS NULL OR tenant = $tenant)")
            .P("$id", id).P("$tenant", tenant);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadOperation(reader) : null;
    }
}
