using Microsoft.Data.Sqlite;
using Npgsql;

namespace Longhaul.Tests.Export;

/// <summary>
/// A table <c>typed</c> of many column types with NULLs in every column, CSV-hostile and formula-like text, in SQLite
/// (declared types) and PostgreSQL (native types); <see cref="Expected"/> is what every reader should get back.
/// </summary>
internal static class TypedRows
{
    public const int Count = 300;
    private static readonly string[] Labels = ["=SUM(A1)", "+1", "-5", "@x", "\tx", "\rx", "a,b", "say \"hi\"", "line1\nline2", "é☃ "];
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public static long? Qty(int i) => i % 5 == 0 ? null : (long)i * 3_000_000_007L * (i % 2 == 0 ? 1 : -1);
    public static double? Ratio(int i) => i % 5 == 1 ? null : i / 7.0;
    public static decimal? Price(int i) => i % 5 == 2 ? null : i * 1.25m + 0.01m;
    public static string? Label(int i) => i % 5 == 3 ? null : Labels[i % Labels.Length] + i;
    public static bool? Active(int i) => i % 5 == 4 ? null : i % 3 == 0;
    public static DateTime? SeenAt(int i) => i % 5 == 0 ? null : Epoch.AddTicks(i * 36_071_234_560L);
    public static byte[]? Raw(int i) => i % 5 == 1 ? null : [(byte)(i % 256), (byte)(i * 7 % 256), 0, 255];
    public static int? Small(int i) => i % 5 == 2 ? null : (short)(i * 97 % 30000 - 15000);
    public static float? Single(int i) => i % 5 == 3 ? null : i / 3f;
    public static DateTime? Day(int i) => i % 5 == 4 ? null : new DateTime(2026, 3, 1).AddDays(i - 150);
    public static decimal? Free(int i) => i % 5 == 0 ? null : 123.4500m + i;

    /// <summary>The rows, normalized (<see cref="SourceRows.Normalize"/>), in the column order of the table.</summary>
    public static List<object?[]> Expected(bool postgres)
    {
        var rows = new List<object?[]>();
        for (var i = 1; i <= Count; i++)
        {
            object?[] common = [i, Qty(i), Ratio(i), postgres ? Price(i) : (double?)Price(i), Label(i), Active(i), SeenAt(i), Raw(i)];
            object?[] row = postgres ? [.. common, Small(i), Single(i), SeenAt(i), Day(i), Free(i)?.ToString(System.Globalization.CultureInfo.InvariantCulture)] : common;
            rows.Add(row.Select(v => v is null ? null : SourceRows.Normalize(v)).ToArray());
        }
        return rows;
    }

    public static string CreateSqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), "longhaul-tests", $"export-typed-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE typed (id INTEGER PRIMARY KEY, qty INTEGER, ratio REAL, price DECIMAL(10,2), label TEXT, active BOOLEAN, seen_at TIMESTAMP, raw BLOB)";
            create.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO typed VALUES ($id, $qty, $ratio, $price, $label, $active, $seen, $raw)";
        for (var i = 1; i <= Count; i++)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$id", i);
            insert.Parameters.AddWithValue("$qty", (object?)Qty(i) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$ratio", (object?)Ratio(i) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$price", (object?)Price(i) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$label", (object?)Label(i) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$active", (object?)Active(i) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$seen", (object?)SeenAt(i) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$raw", (object?)Raw(i) ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return path;
    }

    public static async Task CreatePostgresAsync(string connectionString, string schema)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = $"""
                CREATE SCHEMA "{schema}";
                CREATE TABLE "{schema}".typed (id bigint PRIMARY KEY, qty bigint, ratio double precision, price numeric(12,3), label text,
                  active boolean, seen_at timestamp, raw bytea, small smallint, single real, seen_tz timestamptz, day date, free numeric);
                """;
            await create.ExecuteNonQueryAsync(ct);
        }
        for (var i = 1; i <= Count; i++)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO \"{schema}\".typed VALUES (@id, @qty, @ratio, @price, @label, @active, @seen, @raw, @small, @single, @tz, @day, @free)";
            insert.Parameters.AddWithValue("id", (long)i);
            insert.Parameters.Add(new NpgsqlParameter("qty", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)Qty(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("ratio", NpgsqlTypes.NpgsqlDbType.Double) { Value = (object?)Ratio(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("price", NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)Price(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("label", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)Label(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("active", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = (object?)Active(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("seen", NpgsqlTypes.NpgsqlDbType.Timestamp) { Value = (object?)SeenAt(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("raw", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = (object?)Raw(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("small", NpgsqlTypes.NpgsqlDbType.Smallint) { Value = Small(i) is { } s ? (short)s : DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("single", NpgsqlTypes.NpgsqlDbType.Real) { Value = (object?)Single(i) ?? DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("tz", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = SeenAt(i) is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("day", NpgsqlTypes.NpgsqlDbType.Date) { Value = Day(i) is { } d ? DateOnly.FromDateTime(d) : DBNull.Value });
            insert.Parameters.Add(new NpgsqlParameter("free", NpgsqlTypes.NpgsqlDbType.Numeric) { Value = (object?)Free(i) ?? DBNull.Value });
            await insert.ExecuteNonQueryAsync(ct);
        }
    }
}
