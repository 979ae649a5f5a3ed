using System.Globalization;
using DuckDB.NET.Data;

namespace Longhaul.Tests.Export;

/// <summary>Reads a Parquet file with DuckDB (DuckDB.NET.Data.Full: DuckDB's own native reader, independent of Parquet.Net).</summary>
internal static class DuckDbReader
{
    /// <summary>Every row of the file in order of <paramref name="orderBy"/>, each value normalized by <see cref="SourceRows.Normalize"/>.</summary>
    public static List<object?[]> Rows(string path, string orderBy = "id")
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}') ORDER BY {orderBy}";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : SourceRows.Normalize(reader.GetValue(i));
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The file's column types as DuckDB reads them (<c>BIGINT</c>, <c>DECIMAL(12,3)</c>, …), by column name.</summary>
    public static Dictionary<string, string> Types(string path)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}')";
        using var reader = command.ExecuteReader();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read()) types[reader.GetString(0)] = reader.GetString(1).ToUpper(CultureInfo.InvariantCulture);
        return types;
    }

    /// <summary>The number of rows in the file.</summary>
    public static long Count(string path)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}')";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Checks a Parquet export of <see cref="ExportRows"/>' table inside DuckDB against the same formula: the row count,
    /// ids 1…<paramref name="rows"/> each once, and every value. Answers <c>OK {rows}</c> or the first difference.
    /// </summary>
    public static string CheckItems(string path, long rows)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var file = path.Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"""
            WITH f AS (SELECT * FROM read_parquet('{file}')),
            bad AS (SELECT id FROM f WHERE name IS DISTINCT FROM 'n' || id OR amount IS DISTINCT FROM id * 3 OR note IS DISTINCT FROM
              (CASE id % 7 WHEN 0 THEN '=SUM(A1)' WHEN 1 THEN 'a,b' WHEN 2 THEN 'say "hi"' WHEN 3 THEN 'line1' || chr(10) || 'line2'
               WHEN 4 THEN '-5' WHEN 5 THEN NULL ELSE '@x' END))
            SELECT (SELECT COUNT(*) FROM f), (SELECT COUNT(DISTINCT id) FROM f), (SELECT MIN(id) FROM f), (SELECT MAX(id) FROM f),
              (SELECT MIN(id) FROM bad), (SELECT string_agg(column_name || ' ' || column_type, ',') FROM (DESCRIBE SELECT * FROM f))
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        var (count, distinct) = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        var schema = reader.GetString(5);
        if (schema != "id BIGINT,name VARCHAR,amount BIGINT,note VARCHAR") return $"schema {schema}";
        if (count != rows || distinct != rows) return $"rows {count}, distinct ids {distinct}, expected {rows}";
        if (Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture) != 1 || Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture) != rows) return "ids are not 1…n";
        if (!reader.IsDBNull(4)) return $"row id {reader.GetValue(4)} differs from the source";
        return $"OK {count}";
    }
}
