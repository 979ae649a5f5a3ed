using System.CommandLine;

namespace Longhaul.Server;

internal static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"Directory holding the SQLite file (default {ServeSettings.DefaultDataDir}; or Longhaul:DataDir).",
    };

    public static Option<string?> Store() => new("--store")
    {
        Description = "The store: sqlite (default; one node) or postgres (many nodes; or Longhaul:Store).",
    };

    public static Option<string?> Connection() => new("--connection")
    {
        Description = "The PostgreSQL connection string (or Longhaul:Postgres:ConnectionString).",
    };
}
