using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string RegisteredKindColumns = "tenant, name, description, input_schema, max_attempts, timeout_seconds, created_at, updated_at";

    /// <inheritdoc/>
    public Task<PutRegisteredKindOutcome> PutRegisteredKindAsync(PutRegisteredKindParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        // One writer: the check and the write cannot interleave with another registration.
        var clash = p.Tenant == ApiKeyRecord.AllTenants
            ? "SELECT 1 FROM registered_kinds WHERE name = $name AND tenant <> '*' LIMIT 1"
            : "SELECT 1 FROM registered_kinds WHERE name = $name AND tenant = '*' LIMIT 1";
        if (scope.Command(clash).P("$name", p.Name).ExecuteScalar() is not null) return PutRegisteredKindOutcome.Conflict;
        var existed = scope.Command("SELECT 1 FROM registered_kinds WHERE tenant = $tenant AND name = $name")
            .P("$tenant", p.Tenant).P("$name", p.Name).ExecuteScalar() is not null;
        scope.Command($"""
                INSERT INTO registered_kinds ({RegisteredKindColumns}) VALUES ($tenant, $name, $description, $schema, $attempts, $timeout, $now, $now)
                ON CONFLICT (tenant, name) DO UPDATE SET description = excluded.description, input_schema = excluded.input_schema,
                    max_attempts = excluded.max_attempts, timeout_seconds = excluded.timeout_seconds, updated_at = excluded.updated_at
                """)
            .P("$tenant", p.Tenant).P("$name", p.Name).P("$description", p.Description).P("$schema", p.InputSchema)
            .P("$attempts", p.MaxAttempts).P("$timeout", p.TimeoutSeconds).P("$now", Now()).ExecuteNonQuery();
        return existed ? PutRegisteredKindOutcome.Updated : PutRegisteredKindOutcome.Created;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<RegisteredKindRecord?> FindRegisteredKindAsync(FindRegisteredKindParams p, CancellationToken cancellationToken)
    {
        var where = p.Tenant == ApiKeyRecord.AllTenants ? "WHERE name = $name" : "WHERE name = $name AND tenant IN ($tenant, '*')";
        var kinds = await QueryRegisteredKindsAsync($"{where} ORDER BY tenant = '*', tenant LIMIT 1",
            c => c.P("$name", p.Name).P("$tenant", p.Tenant), cancellationToken).ConfigureAwait(false);
        return kinds.Count == 0 ? null : kinds[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RegisteredKindRecord>> ListRegisteredKindsAsync(string tenant, CancellationToken cancellationToken)
        => QueryRegisteredKindsAsync(tenant == ApiKeyRecord.AllTenants ? "ORDER BY name, tenant" : "WHERE tenant IN ($tenant, '*') ORDER BY name, tenant",
            c => c.P("$tenant", tenant), cancellationToken);

    private async Task<IReadOnlyList<RegisteredKindRecord>> QueryRegisteredKindsAsync(string rest, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RegisteredKindColumns} FROM registered_kinds {rest}";
        bind(command);
        var kinds = new List<RegisteredKindRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            kinds.Add(new RegisteredKindRecord(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetDouble(5),
                Time(reader.GetInt64(6)), Time(reader.GetInt64(7))));
        }
        return kinds;
    }
}
