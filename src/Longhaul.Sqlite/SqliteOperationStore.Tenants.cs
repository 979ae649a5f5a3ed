using Longhaul.Storage;
using Longhaul.Tenancy;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string TenantLimitColumns = "tenant, weight, max_running, max_pending, create_rate_per_second, create_burst, max_connections, max_events_per_operation, max_stored_bytes";

    /// <inheritdoc/>
    public async Task<TenantLimitOverrides?> GetTenantLimitsAsync(string tenant, CancellationToken cancellationToken)
    {
        var rows = await QueryTenantLimitsAsync("WHERE tenant = $tenant", c => c.P("$tenant", tenant), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Value;
    }

    /// <inheritdoc/>
    public Task SetTenantLimitsAsync(string tenant, TenantLimitOverrides overrides, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.IsEmpty)
        {
            scope.Command("DELETE FROM tenant_limits WHERE tenant = $tenant").P("$tenant", tenant).ExecuteNonQuery();
            return true;
        }
        scope.Command($"""
                INSERT INTO tenant_limits ({TenantLimitColumns}, updated_at) VALUES ($tenant, $w, $mr, $mp, $rate, $burst, $conn, $events, $bytes, $now)
                ON CONFLICT (tenant) DO UPDATE SET weight = excluded.weight, max_running = excluded.max_running, max_pending = excluded.max_pending,
                    create_rate_per_second = excluded.create_rate_per_second, create_burst = excluded.create_burst, max_connections = excluded.max_connections,
                    max_events_per_operation = excluded.max_events_per_operation, max_stored_bytes = excluded.max_stored_bytes, updated_at = excluded.updated_at
                """)
            .P("$tenant", tenant).P("$w", overrides.Weight).P("$mr", overrides.MaxRunning).P("$mp", overrides.MaxPending)
            .P("$rate", overrides.CreateRatePerSecond).P("$burst", overrides.CreateBurst).P("$conn", overrides.MaxConnections)
            .P("$events", overrides.MaxEventsPerOperation).P("$bytes", overrides.MaxStoredBytes).P("$now", Now()).ExecuteNonQuery();
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<KeyValuePair<string, TenantLimitOverrides>>> ListTenantLimitsAsync(CancellationToken cancellationToken)
        => QueryTenantLimitsAsync("ORDER BY tenant", _ => { }, cancellationToken);

    private async Task<IReadOnlyList<KeyValuePair<string, TenantLimitOverrides>>> QueryTenantLimitsAsync(string rest, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TenantLimitColumns} FROM tenant_limits {rest}";
        bind(command);
        var rows = new List<KeyValuePair<string, TenantLimitOverrides>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            int? Int(int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);
            rows.Add(new(reader.GetString(0), new TenantLimitOverrides(Int(1), Int(2), Int(3), reader.IsDBNull(4) ? null : reader.GetDouble(4),
                Int(5), Int(6), Int(7), reader.IsDBNull(8) ? null : reader.GetInt64(8))));
        }
        return rows;
    }
}
