using System.Text.Json;
using Longhaul.Postgres;
using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>
/// The claim's plan when the table's statistics are from before a backlog (a new table, or one analysed while it was
/// nearly empty): without its settings PostgreSQL estimates one ready row and sorts every ready row on every claim.
/// </summary>
public sealed class PostgresClaimPlanTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();

    public async ValueTask DisposeAsync() => await PostgresTestDatabase.DropSchemaAsync(_connectionString, _schema, CancellationToken.None);

    [Fact]
    public async Task Claim_StatisticsFromBeforeABacklog_WalksTheReadyIndexInOrderWithoutSorting()
    {
        await using var connection = await MigratedSchemaAsync();
        await ExecuteAsync(connection, "ANALYZE operations");
        await InsertBacklogAsync(connection);

        var unguarded = Nodes(await PlanAsync(connection, settings: false));
        var claim = Nodes(await PlanAsync(connection, settings: true));

        // The situation is real: the same statement without the settings sorts the whole backlog.
        Assert.Contains(unguarded, n => n.Type == "Sort");
        Assert.DoesNotContain(claim, n => n.Type == "Sort");
        // Turns: the virtual-start index in order; each tenant's share: its priority index in order (ADR 0025).
        Assert.Contains(("Index Scan", "ix_operations_fair"), claim);
        Assert.Contains(("Index Scan", "ix_operations_tenant_ready"), claim);
        Assert.DoesNotContain(claim, n => n.Index is "ix_operations_fair" or "ix_operations_tenant_ready" && n.Type != "Index Scan");
    }

    [Fact]
    public async Task Claim_RunManyTimesOnOneConnection_IsPlannedOnce()
    {
        await using var connection = await MigratedSchemaAsync();
        await InsertBacklogAsync(connection);
        await ExecuteAsync(connection, "ANALYZE operations");

        // Without the settings PostgreSQL chose custom plans for the first claims at least (for the claim before fair
        // scheduling, for every claim; the fair claim's generic plan wins after five), so the control only says some.
        Assert.NotEqual(0L, (await PlanCountsAfterEightClaimsAsync(settings: false)).Custom);
        // With them, every claim after the first planning reuses the one generic plan.
        Assert.Equal((8L, 0L), await PlanCountsAfterEightClaimsAsync(settings: true));
    }

    /// <summary>The store's schema, migrated, and an open session on it.</summary>
    private async Task<NpgsqlConnection> MigratedSchemaAsync()
    {
        await using (var store = new PostgresOperationStore(new PostgresStoreOptions { ConnectionString = _connectionString, Schema = _schema }, new InProcessStoreNotifier()))
        {
            await store.MigrateAsync(Ct);
        }
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { SearchPath = _schema }.ConnectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static Task InsertBacklogAsync(NpgsqlConnection connection) => ExecuteAsync(connection, """
        INSERT INTO operations (id, tenant, kind, status, input, max_attempts, run_after, created_at, updated_at)
        SELECT 'op_' || g, 'tenant', 'sleep', 0, '{}', 3, now(), now(), now() FROM generate_series(1, 5000) AS g
        """);

    /// <summary>EXPLAIN of the claim in a transaction that is rolled back, after the claim's settings or not.</summary>
    private static async Task<string> PlanAsync(NpgsqlConnection connection, bool settings)
    {
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        if (settings)
        {
            await using var set = new NpgsqlCommand(PostgresOperationStore.ClaimSettings, connection, transaction);
            await set.ExecuteNonQueryAsync(Ct);
        }
        await using var explain = ClaimCommand(connection, "EXPLAIN (FORMAT JSON) " + PostgresOperationStore.ClaimStatement);
        explain.Transaction = transaction;
        var plan = (string)(await explain.ExecuteScalarAsync(Ct))!;
        await transaction.RollbackAsync(Ct);
        return plan;
    }

    /// <summary>
    /// Runs the claim eight times as one server-side prepared statement on a new session (claiming 8 operations each
    /// time, rolled back), and returns how many of those executions used the generic plan and how many a custom plan.
    /// </summary>
    private async Task<(long Generic, long Custom)> PlanCountsAfterEightClaimsAsync(bool settings)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { SearchPath = _schema, Pooling = false }.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var claim = ClaimCommand(connection, PostgresOperationStore.ClaimStatement);
        await claim.PrepareAsync(Ct);
        for (var i = 0; i < 8; i++)
        {
            await using var transaction = await connection.BeginTransactionAsync(Ct);
            if (settings)
            {
                await using var set = new NpgsqlCommand(PostgresOperationStore.ClaimSettings, connection, transaction);
                await set.ExecuteNonQueryAsync(Ct);
            }
            claim.Transaction = transaction;
            var claimed = 0;
            await using (var reader = await claim.ExecuteReaderAsync(Ct))
            {
                while (await reader.ReadAsync(Ct)) claimed++;
            }
            Assert.Equal(8, claimed);
            await transaction.RollbackAsync(Ct);
        }
        await using var counts = new NpgsqlCommand("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%WITH claim_clock AS%'", connection);
        await using var rows = await counts.ExecuteReaderAsync(Ct);
        Assert.True(await rows.ReadAsync(Ct));
        return (rows.GetInt64(0), rows.GetInt64(1));
    }

    private static NpgsqlCommand ClaimCommand(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter("clock", NpgsqlDbType.TimestampTz) { Value = DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Text) { Value = "test" });
        command.Parameters.Add(new NpgsqlParameter("lease", NpgsqlDbType.Interval) { Value = TimeSpan.FromSeconds(30) });
        command.Parameters.Add(new NpgsqlParameter("pre", NpgsqlDbType.Text) { Value = "{\"attempt\":" });
        command.Parameters.Add(new NpgsqlParameter("suf", NpgsqlDbType.Text) { Value = "}" });
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = new[] { "sleep" } });
        command.Parameters.Add(new NpgsqlParameter("max", NpgsqlDbType.Integer) { Value = 8 });
        command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("dmr", NpgsqlDbType.Integer) { Value = DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("cap_kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Array.Empty<string>() });
        command.Parameters.Add(new NpgsqlParameter("cap_limits", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = Array.Empty<int>() });
        return command;
    }

    /// <summary>Every node of an EXPLAIN (FORMAT JSON) plan: its type and the index it scans (null for none).</summary>
    private static List<(string Type, string? Index)> Nodes(string plan)
    {
        var nodes = new List<(string, string?)>();
        using var document = JsonDocument.Parse(plan);
        Walk(document.RootElement[0].GetProperty("Plan"));
        return nodes;

        void Walk(JsonElement node)
        {
            nodes.Add((node.GetProperty("Node Type").GetString()!, node.TryGetProperty("Index Name", out var index) ? index.GetString() : null));
            if (!node.TryGetProperty("Plans", out var children)) return;
            foreach (var child in children.EnumerateArray()) Walk(child);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
