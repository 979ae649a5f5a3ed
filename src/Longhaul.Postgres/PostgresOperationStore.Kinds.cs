using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string RegisteredKindColumns = "tenant, name, description, input_schema, max_attempts, timeout_seconds, created_at, updated_at";

    // Registrations of one name take turns (per schema), so the clash check and the write see each other.
    private const string LockKindName = "SELECT pg_advisory_xact_lock(hashtextextended('longhaul.kind.' || current_schema() || '.' || @name, 0))";

    private const string KindClashForAll = "SELECT 1 FROM registered_kinds WHERE name = @name AND tenant <> '*' LIMIT 1";

    private const string KindClashForTenant = "SELECT 1 FROM registered_kinds WHERE name = @name AND tenant = '*' LIMIT 1";

    private const string UpsertKind = $"""
        INSERT INTO registered_kinds ({RegisteredKindColumns}) VALUES (@tenant, @name, @description, @schema, @attempts, @timeout, {Now}, {Now})
        ON CONFLICT (tenant, name) DO UPDATE SET description = EXCLUDED.description, input_schema = EXCLUDED.input_schema,
            max_attempts = EXCLUDED.max_attempts, timeout_seconds = EXCLUDED.timeout_seconds, updated_at = EXCLUDED.updated_at
        RETURNING (xmax = 0)
        """;

    /// <inheritdoc/>
    public Task<PutRegisteredKindOutcome> PutRegisteredKindAsync(PutRegisteredKindParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        await ExecuteAsync(scope.Command(LockKindName).P("name", p.Name, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        await using (var clash = scope.Command(p.Tenant == ApiKeyRecord.AllTenants ? KindClashForAll : KindClashForTenant).P("name", p.Name, NpgsqlDbType.Text))
        {
            if (await clash.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null) return PutRegisteredKindOutcome.Conflict;
        }
        await using var upsert = scope.Command(UpsertKind)
            .P("tenant", p.Tenant, NpgsqlDbType.Text).P("name", p.Name, NpgsqlDbType.Text).P("description", p.Description, NpgsqlDbType.Text)
            .P("schema", p.InputSchema, NpgsqlDbType.Text).P("attempts", p.MaxAttempts, NpgsqlDbType.Integer).P("timeout", p.TimeoutSeconds, NpgsqlDbType.Double);
        var inserted = (bool)(await upsert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return inserted ? PutRegisteredKindOutcome.Created : PutRegisteredKindOutcome.Updated;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<RegisteredKindRecord?> FindRegisteredKindAsync(FindRegisteredKindParams p, CancellationToken cancellationToken)
    {
        var where = p.Tenant == ApiKeyRecord.AllTenants ? "WHERE name = @name" : "WHERE name = @name AND tenant IN (@tenant, '*')";
        await using var command = ReadCommand($"SELECT {RegisteredKindColumns} FROM registered_kinds {where} ORDER BY tenant = '*', tenant LIMIT 1")
            .P("name", p.Name, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text);
        var kinds = await ReadRegisteredKindsAsync(command, cancellationToken).ConfigureAwait(false);
        return kinds.Count == 0 ? null : kinds[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RegisteredKindRecord>> ListRegisteredKindsAsync(string tenant, CancellationToken cancellationToken)
    {
        var where = tenant == ApiKeyRecord.AllTenants ? "" : "WHERE tenant IN (@tenant, '*')";
        await using var command = ReadCommand($"SELECT {RegisteredKindColumns} FROM registered_kinds {where} ORDER BY name, tenant")
            .P("tenant", tenant, NpgsqlDbType.Text);
        return await ReadRegisteredKindsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<RegisteredKindRecord>> ReadRegisteredKindsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var kinds = new List<RegisteredKindRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            kinds.Add(new RegisteredKindRecord(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetDouble(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return kinds;
    }
}
