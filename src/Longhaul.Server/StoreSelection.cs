using Longhaul.Postgres;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Longhaul.Server;

/// <summary>The store a command uses, from its options first and configuration second: SQLite in a data directory, or PostgreSQL.</summary>
internal sealed record StoreSelection(string? DataDir, PostgresStoreOptions? Postgres)
{
    public string? DatabasePath => DataDir is null ? null : Path.Combine(DataDir, ServeSettings.DatabaseFileName);

    public static StoreSelection Resolve(IConfiguration config, string? store, string? connection, string? dataDir, bool noMigrate = false)
    {
        var kind = (store ?? config["Longhaul:Store"] ?? "sqlite").Trim().ToLowerInvariant();
        switch (kind)
        {
            case "sqlite":
                return new StoreSelection(Path.GetFullPath(dataDir ?? config["Longhaul:DataDir"] ?? ServeSettings.DefaultDataDir), null);
            case "postgres" or "postgresql":
                var options = new PostgresStoreOptions();
                config.GetSection("Longhaul:Postgres").Bind(options);
                if (connection is not null) options.ConnectionString = connection;
                if (noMigrate) options.MigrateOnStart = false;
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException("--store postgres needs --connection \"Host=…;Database=…;Username=…;Password=…\" (or Longhaul:Postgres:ConnectionString).");
                }
                return new StoreSelection(null, options);
            default:
                throw new InvalidOperationException($"Unknown store '{kind}': use sqlite or postgres (--store or Longhaul:Store).");
        }
    }

    /// <summary>For the start-up log: where the data is, never a password.</summary>
    public string Describe()
    {
        if (Postgres is null) return $"SQLite at {DatabasePath}";
        var c = new NpgsqlConnectionStringBuilder(Postgres.ConnectionString);
        return $"PostgreSQL {c.Host}:{c.Port}/{c.Database}, schema {Postgres.Schema}, notifications {(Postgres.Notifications ? "on" : "off (polling only)")}";
    }
}
