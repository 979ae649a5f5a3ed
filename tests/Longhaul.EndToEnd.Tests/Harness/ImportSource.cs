using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A CSV of <c>id,name,qty</c> rows (names with commas and doubled quotes, so quoting is exercised) and the checksum of
/// its rows in canonical form, compared with the same checksum computed over a loaded table.
/// </summary>
internal static class ImportSource
{
    public const string PostgresTable = "CREATE TABLE items (id bigint NOT NULL, name text NOT NULL, qty integer)";
    public const string SqliteTable = "CREATE TABLE items (id INTEGER NOT NULL, name TEXT NOT NULL, qty INTEGER)";

    /// <summary>Writes the file; returns the SHA-256 (hex) of its rows as <c>id|name|qty\n</c>.</summary>
    public static string Write(string path, int rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.WriteLine("id,name,qty");
        for (var i = 1; i <= rows; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"item {i}, \"q\" {i % 97}");
            int? qty = i % 10 == 0 ? null : i % 1000;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i},\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{qty}"));
            hash.AppendData(Encoding.UTF8.GetBytes(Canonical(i, name, qty)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>(rows, distinct ids, SHA-256 of the rows ordered by id) of the loaded table.</summary>
    public static async Task<(long Rows, long Distinct, string Sha256)> ReadPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }

    public static async Task<(long Rows, long Distinct, string Sha256)> ReadSqliteAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }

    private static async Task<(long Rows, long Distinct, string Sha256)> ReadAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        await using var counts = connection.CreateCommand();
        counts.CommandText = "SELECT COUNT(*), COUNT(DISTINCT id) FROM items";
        long rows, distinct;
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (rows, distinct) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, name, qty FROM items ORDER BY id";
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                hash.AppendData(Encoding.UTF8.GetBytes(Canonical(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture))));
        }
        return (rows, distinct, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string Canonical(long id, string name, int? qty) => string.Create(CultureInfo.InvariantCulture, $"{id}|{name}|{qty}\n");
}
