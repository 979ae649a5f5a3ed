using Npgsql;

namespace Longhaul.Store.Tests.Postgres;

/// <summary>
/// The PostgreSQL the store tests use: <c>LONGHAUL_TEST_POSTGRES</c> (a connection string; scripts/postgres-dev.sh
/// prints one). Without it the tests skip, unless <c>LONGHAUL_REQUIRE_POSTGRES=1</c> says they must run (CI).
/// </summary>
public static class PostgresTestDatabase
{
    public const string ConnectionStringVariable = "LONGHAUL_TEST_POSTGRES";
    public const string RequireVariable = "LONGHAUL_REQUIRE_POSTGRES";

    /// <summary>The connection string; skips the running test when there is none, or fails it when PostgreSQL is required.</summary>
    public static string ConnectionStringOrSkip()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(connectionString)) return connectionString;
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            throw new InvalidOperationException(
                $"{RequireVariable}=1 but {ConnectionStringVariable} is not set: export a connection string to a PostgreSQL database (scripts/postgres-dev.sh prints one).");
        }
        Assert.Skip($"{ConnectionStringVariable} is not set; run scripts/postgres-dev.sh and export the connection string it prints to run the PostgreSQL tests.");
        return "";
    }

    /// <summary>A schema name no other test uses, so tests run in parallel on one database.</summary>
    public static string NewSchemaName() => $"lh_test_{Guid.NewGuid():N}";

    public static async Task DropSchemaAsync(string connectionString, string schema, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The name comes from NewSchemaName: a fixed prefix and hex digits, safe to quote.
        command.CommandText = $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
