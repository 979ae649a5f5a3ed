using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Longhaul.Databases;

/// <summary>The providers an operator-configured database (an export source, an import target) may use.</summary>
public static class DatabaseProviders
{
    /// <summary>PostgreSQL through Npgsql.</summary>
    public const string Postgres = "postgres";

    /// <summary>SQLite through Microsoft.Data.Sqlite.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>True for <c>postgres</c> and <c>sqlite</c>.</summary>
    public static bool IsProvider(string provider) => provider is Postgres or Sqlite;

    /// <summary>A new, closed connection of <paramref name="provider"/>.</summary>
    public static DbConnection Connect(string provider, string connectionString) => provider == Postgres
        ? new NpgsqlConnection(connectionString)
        : new SqliteConnection(connectionString);
}
