using Longhaul.Postgres;
using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>
/// The claim's plan when the table's statistics are from before a backlog (a new table, or one analysed while it was
/// nearly empty): without its settings PostgreSQL estimates one ready row and sorts every ready row on every claim.
/// </summary>
public sealed class PostgresClaimPlanTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claim_StatisticsFromBeforeABacklog_WalksTheReadyIndexInOrderWithoutSorting()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        await using var store = new PostgresOperationStore(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema }, new InProcessStoreNotifier());
        try
        {
            await store.MigrateAsync(Ct);
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString);
            await connection.OpenAsync(Ct);
            await ExecuteAsync(connection, "ANALYZE operations");
            await ExecuteAsync(connection, """
                INSERT INTO operations (id, tenant, kind, status, input, max_attempts, run_after, created_at, updated_at)
                SELECT 'op_' || g, 'tenant', 'sleep', 0, '{}', 3, now(), now(), now() FROM generate_series(1, 5000) AS g
                """);

            var unguarded = await PlanAsync(connection, settings: false);
            var claim = await PlanAsync(connection, settings: true);

            // The situation is real: the same statement without the settings sorts the whole backlog.
            Assert.Contains("\"Node Type\": \"Sort\"", unguarded, StringComparison.Ordinal);
            Assert.DoesNotContain("\"Node Type\": \"Sort\"", claim, StringComparison.Ordinal);
            Assert.Contains("\"Index Name\": \"ix_operations_ready\"", claim, StringComparison.Ordinal);
            Assert.DoesNotContain("Bitmap", claim, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    /// <summary>EXPLAIN of the claim in a transaction that is rolled back, after the claim's settings or not.</summary>
    private static async Task<string> PlanAsync(NpgsqlConnection connection, bool settings)
    {
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        if (settings)
        {
            await using var set = new NpgsqlCommand(PostgresOperationStore.ClaimSettings, connection, transaction);
            await set.ExecuteNonQueryAsync(Ct);
        }
        await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + PostgresOperationStore.ClaimStatement, connection, transaction);
        explain.Parameters.Add(new NpgsqlParameter("clock", NpgsqlDbType.TimestampTz) { Value = DBNull.Value });
        explain.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Text) { Value = "test" });
        explain.Parameters.Add(new NpgsqlParameter("lease", NpgsqlDbType.Interval) { Value = TimeSpan.FromSeconds(30) });
        explain.Parameters.Add(new NpgsqlParameter("pre", NpgsqlDbType.Text) { Value = "{\"attempt\":" });
        explain.Parameters.Add(new NpgsqlParameter("suf", NpgsqlDbType.Text) { Value = "}" });
        explain.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = new[] { "sleep" } });
        explain.Parameters.Add(new NpgsqlParameter("max", NpgsqlDbType.Integer) { Value = 8 });
        var plan = (string)(await explain.ExecuteScalarAsync(Ct))!;
        await transaction.RollbackAsync(Ct);
        return plan;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
