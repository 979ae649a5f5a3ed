using Npgsql;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A fresh PostgreSQL schema for one test, on the database <c>LONGHAUL_TEST_POSTGRES</c> names (scripts/postgres-dev.sh
/// prints one). Without it the test skips, unless <c>LONGHAUL_REQUIRE_POSTGRES=1</c> says it must run (CI): then it fails.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    private const string ConnectionStringVariable = "LONGHAUL_TEST_POSTGRES";
    private const string RequireVariable = "LONGHAUL_REQUIRE_POSTGRES";

    private PostgresTestSchema(string connectionString)
    {
        ConnectionString = connectionString;
        Name = $"lh_e2e_{Guid.NewGuid():N}";
    }

    public string ConnectionString { get; }

    public string Name { get; }

    /// <summary>Test-mode leases: <paramref name="leaseSeconds"/>, heartbeat and reaper every second.</summary>
    public static (string Key, string Value)[] ShortLease(int leaseSeconds) =>
    [
        ("Longhaul__LeaseDuration", TimeSpan.FromSeconds(leaseSeconds).ToString()),
        ("Longhaul__HeartbeatInterval", "00:00:01"),
        ("Longhaul__ReaperInterval", "00:00:01"),
    ];

    /// <summary>Settings that point a <c>longhaul</c> process at this schema, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Longhaul__Store"] = "postgres",
            ["Longhaul__Postgres__ConnectionString"] = ConnectionString,
            ["Longhaul__Postgres__Schema"] = Name,
        };
        foreach (var (key, value) in extra) environment[key] = value;
        return environment;
    }

    public static PostgresTestSchema CreateOrSkip()
    {
        var connectionString = System.Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(connectionString)) return new PostgresTestSchema(connectionString);
        if (System.Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            throw new InvalidOperationException(
                $"{RequireVariable}=1 but {ConnectionStringVariable} is not set: export a connection string to a PostgreSQL database (scripts/postgres-dev.sh prints one).");
        }
        Assert.Skip($"{ConnectionStringVariable} is not set; run scripts/postgres-dev.sh and export the connection string it prints to run the PostgreSQL tests.");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        // The name is a fixed prefix and hex digits, safe to quote.
        command.CommandText = $"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE";
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
