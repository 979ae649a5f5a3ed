using Longhaul.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string TenantLimitColumns = "tenant, weight, max_running, max_pending, create_rate_per_second, create_burst, max_connections, max_events_per_operation, max_stored_bytes";

    private const string UpsertTenantLimits = $"""
        INSERT INTO tenant_limits ({TenantLimitColumns}, updated_at) VALUES (@tenant, @w, @mr, @mp, @rate, @burst, @conn, @events, @bytes, {Now})
        ON CONFLICT (tenant) DO UPDATE SET weight = EXCLUDED.weight, max_running = EXCLUDED.max_running, max_pending = EXCLUDED.max_pending,
            create_rate_per_second = EXCLUDED.create_rate_per_second, create_burst = EXCLUDED.create_burst, max_connections = EXCLUDED.max_connections,
            max_events_per_operation = EXCLUDED.max_events_per_operation, max_stored_bytes = EXCLUDED.max_stored_bytes, updated_at = EXCLUDED.updated_at
        """;

    /// <inheritdoc/>
    public async Task<TenantLimitOverrides?> GetTenantLimitsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand($"SELECT {TenantLimitColumns} FROM tenant_limits WHERE tenant = @tenant").P("tenant", tenant, NpgsqlDbType.Text);
        var rows = await ReadTenantLimitsAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0].Value;
    }

    /// <inheritdoc/>
    public Task SetTenantLimitsAsync(string tenant, TenantLimitOverrides overrides, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.IsEmpty)
        {
            await ExecuteAsync(scope.Command("DELETE FROM tenant_limits WHERE tenant = @tenant").P("tenant", tenant, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
            return true;
        }
        await ExecuteAsync(scope.Command(UpsertTenantLimits)
            .P("tenant", tenant, NpgsqlDbType.Text).P("w", overrides.Weight, NpgsqlDbType.Integer).P("mr", overrides.MaxRunning, NpgsqlDbType.Integer)
            .P("mp", overrides.MaxPending, NpgsqlDbType.Integer).P("rate", overrides.CreateRatePerSecond, NpgsqlDbType.Double)
            .P("burst", overrides.CreateBurst, NpgsqlDbType.Integer).P("conn", overrides.MaxConnections, NpgsqlDbType.Integer)
            .P("events", overrides.MaxEventsPerOperation, NpgsqlDbType.Integer).P("bytes", overrides.MaxStoredBytes, NpgsqlDbType.Bigint), cancellationToken).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<KeyValuePair<string, TenantLimitOverrides>>> ListTenantLimitsAsync(CancellationToken cancellationToken)
    {
        await using var command = ReadCommand($"SELECT {TenantLimitColumns} FROM tenant_limits ORDER BY tenant");
        return await ReadTenantLimitsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, TenantLimitOverrides>>> ReadTenantLimitsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
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
