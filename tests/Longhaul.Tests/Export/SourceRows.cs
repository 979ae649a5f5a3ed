using System.Data.Common;
using System.Globalization;

namespace Longhaul.Tests.Export;

/// <summary>Rows read straight from a source database, and one normalization so two readers' values compare equal.</summary>
internal static class SourceRows
{
    /// <summary>Every row of <paramref name="sql"/>, values normalized.</summary>
    public static async Task<List<object?[]>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : Normalize(reader.GetValue(i));
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Integers as long, floats as double, decimals without trailing zeros, times as UTC or wall-clock ticks, dates
    /// as DateTime, bytes as base64: the value, not the CLR type a reader chose for it.
    /// </summary>
    public static object Normalize(object value) => value switch
    {
        short or int or long or sbyte or byte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float f => (double)f,
        decimal d => d / 1.000000000000000000000000000m,
        DateTimeOffset o => new DateTime(o.UtcDateTime.Ticks, DateTimeKind.Unspecified),
        DateTime t => new DateTime(t.Ticks, DateTimeKind.Unspecified),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        byte[] b => Convert.ToBase64String(b),
        Stream s => Convert.ToBase64String(ReadAll(s)),
        _ => value,
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The first difference between two row lists, or null when equal.</summary>
    public static string? Difference(IReadOnlyList<object?[]> expected, IReadOnlyList<object?[]> actual)
    {
        if (expected.Count != actual.Count) return $"rows: expected {expected.Count}, got {actual.Count}";
        for (var r = 0; r < expected.Count; r++)
        {
            if (expected[r].Length != actual[r].Length) return $"row {r}: {expected[r].Length} columns, got {actual[r].Length}";
            for (var c = 0; c < expected[r].Length; c++)
            {
                if (!Equals(expected[r][c], actual[r][c]))
                    return $"row {r} column {c}: expected {Show(expected[r][c])}, got {Show(actual[r][c])}";
            }
        }
        return null;
    }

    private static string Show(object? value) => value is null ? "null" : $"{value} ({value.GetType().Name})";
}
