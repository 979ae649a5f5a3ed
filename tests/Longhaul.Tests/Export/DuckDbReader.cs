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
}
