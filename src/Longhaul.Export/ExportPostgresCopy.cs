using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Longhaul.Export;

/// <summary>
/// The fast path of a CSV export from a PostgreSQL table: PostgreSQL formats the rows itself
/// (<c>COPY (SELECT …) TO STDOUT (FORMAT csv)</c>, as <c>psql \copy</c> does) and the export only turns LF into
/// CRLF, counts rows and reads the key of a segment's last row. Used only when that gives byte for byte what the
/// general path writes: every column an integer or text, the key among the exported integer columns, filters with
/// integer values (COPY takes no parameters, so only integers, formatted here, ever become SQL text). Empty text is
/// written as an empty field (NULLIF) and formula escaping is done in SQL, as the general path does them.
/// </summary>
internal static class ExportPostgresCopy
{
    /// <summary>The COPY statement, or null when the export does not qualify.</summary>
    public static async Task<string?> CommandAsync(DbConnection connection, DbTransaction transaction, ExportInput input, ExportRelation relation,
        IReadOnlyList<string> columns, IReadOnlyList<JsonElement>? after, CancellationToken cancellationToken)
    {
        if (connection is not NpgsqlConnection || input.Format != "csv" || input.Table is null) return null;
        if (relation.Key.Any(k => !columns.Contains(k, StringComparer.Ordinal))) return null;
        var filters = input.Filter ?? [];
        if (filters.Any(f => f.Value.ValueKind != JsonValueKind.Number || !f.Value.TryGetInt64(out _))) return null;
        if (after is not null && after.Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out _))) return null;

        var text = new bool[columns.Count];
        await using (var probe = connection.CreateCommand())
        {
            probe.Transaction = transaction;
            probe.CommandText = $"SELECT {string.Join(", ", columns.Select(ExportSql.Quote))} FROM {relation.Sql} WHERE false";
            await using var reader = await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < columns.Count; i++)
            {
                var type = reader.GetFieldType(i);
                if (type == typeof(string)) text[i] = true;
                else if (type != typeof(long) && type != typeof(int) && type != typeof(short)) return null;
                if (text[i] && relation.Key.Contains(columns[i], StringComparer.Ordinal)) return null;
            }
        }

        var sql = new StringBuilder("COPY (SELECT ");
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) sql.Append(", ");
            var c = ExportSql.Quote(columns[i]);
            if (!text[i]) sql.Append(c);
            else if (input.EscapeFormulas) sql.Append($"NULLIF(CASE WHEN left({c}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || {c} ELSE {c} END, '')");
            else sql.Append($"NULLIF({c}, '')");
        }
        sql.Append(" FROM ").Append(relation.Sql);
        var clauses = filters.Select(f => $"{ExportSql.Quote(f.Column)} {f.Op} {f.Value.GetInt64().ToString(CultureInfo.InvariantCulture)}").ToList();
        if (after is not null)
            clauses.Add($"({string.Join(", ", relation.Key.Select(ExportSql.Quote))}) > ({string.Join(", ", after.Select(v => v.GetInt64().ToString(CultureInfo.InvariantCulture)))})");
        if (clauses.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", clauses);
        sql.Append(" ORDER BY ").AppendJoin(", ", relation.Key.Select(ExportSql.Quote));
        sql.Append(") TO STDOUT (FORMAT csv)");
        return sql.ToString();
    }

    /// <summary>The positions of the key columns among the exported columns.</summary>
    public static int[] KeyFields(ExportRelation relation, IReadOnlyList<string> columns)
        => relation.Key.Select(k => columns.ToList().IndexOf(k)).ToArray();

    /// <summary>The key of one CSV row (without its line end): the integer fields at <paramref name="fields"/>.</summary>
    public static JsonElement[] KeyOf(ReadOnlySpan<byte> row, int[] fields)
    {
        var found = new long[fields.Length];
        var field = 0;
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= row.Length; i++)
        {
            if (i < row.Length && row[i] == (byte)'"') quoted = !quoted;
            if (i < row.Length && (quoted || row[i] != (byte)',')) continue;
            var at = Array.IndexOf(fields, field);
            if (at >= 0 && !Utf8Parser.TryParse(row[start..i], out found[at], out var used) | used != i - start)
                throw new InvalidOperationException("A key field of a COPY row is not an integer.");
            field++;
            start = i + 1;
        }
        return found.Select(v => JsonSerializer.SerializeToElement(v)).ToArray();
    }
}
