using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Longhaul.Export;

/// <summary>
/// The fast path of a CSV export from a PostgreSQL table: PostgreSQL formats the rows itself
/// (<c>COPY (SELECT …) TO STDOUT (FORMAT csv)</c>, as <c>psql \copy</c> does) and the export only finishes each row
/// (<see cref="WriteRow"/>: CRLF, empty text, the formula escape), counts rows and reads the key of a segment's last
/// row. Used only when that gives byte for byte what the general path writes: every column an integer or text, the key
/// among the exported integer columns, filters with integer values (COPY takes no parameters, so only integers,
/// formatted here, ever become SQL text). The selected columns are plain: the formula escape and NULLIF written in the
/// query cost PostgreSQL more than the COPY itself (docs/benchmarks.md, 2026-12-06 17:20).
/// </summary>
internal static class ExportPostgresCopy
{
    /// <summary>The COPY statement and how to finish its rows, or null when the export does not qualify.</summary>
    public static async Task<ExportCopyPlan?> PlanAsync(DbConnection connection, DbTransaction transaction, ExportInput input, ExportRelation relation,
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

        var sql = new StringBuilder("COPY (SELECT ").AppendJoin(", ", columns.Select(ExportSql.Quote));
        sql.Append(" FROM ").Append(relation.Sql);
        var clauses = filters.Select(f => $"{ExportSql.Quote(f.Column)} {f.Op} {f.Value.GetInt64().ToString(CultureInfo.InvariantCulture)}").ToList();
        if (after is not null)
            clauses.Add($"({string.Join(", ", relation.Key.Select(ExportSql.Quote))}) > ({string.Join(", ", after.Select(v => v.GetInt64().ToString(CultureInfo.InvariantCulture)))})");
        if (clauses.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", clauses);
        sql.Append(" ORDER BY ").AppendJoin(", ", relation.Key.Select(ExportSql.Quote));
        sql.Append(") TO STDOUT (FORMAT csv)");
        var keyFields = relation.Key.Select(k => columns.ToList().IndexOf(k)).ToArray();
        return new ExportCopyPlan(sql.ToString(), text, keyFields, input.EscapeFormulas);
    }

    /// <summary>
    /// Writes one COPY row (without its LF) to <paramref name="output"/> as the general path writes it, with CRLF, and
    /// returns its length. PostgreSQL quotes a value that holds a comma, quote, CR or LF, as the general path does, and
    /// writes NULL as an empty field. It writes an empty string as <c>""</c>, which becomes an empty field here; and a
    /// text value starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR gets a leading <c>'</c> (inside the
    /// quotes when quoted) when formulas are escaped. <paramref name="output"/> has room for the row's length plus
    /// <see cref="ExportCopyPlan.MaxGrowth"/> bytes.
    /// </summary>
    public static int WriteRow(ReadOnlySpan<byte> row, Span<byte> output, ExportCopyPlan plan)
    {
        var written = 0;
        var text = plan.Text;
        for (int field = 0, start = 0; ; field++)
        {
            int end;
            if (start < row.Length && row[start] == (byte)'"')
            {
                // A quoted field ends at a quote that is not followed by another ("" is one quote inside it).
                end = start + 1;
                while (true)
                {
                    var quote = row[end..].IndexOf((byte)'"');
                    if (quote < 0) throw new InvalidOperationException("A COPY row ended inside a quoted field.");
                    end += quote + 1;
                    if (end < row.Length && row[end] == (byte)'"') end++;
                    else break;
                }
            }
            else
            {
                var comma = row[start..].IndexOf((byte)',');
                end = comma < 0 ? row.Length : start + comma;
            }
            var cell = row[start..end];
            if (field < text.Length && text[field] && cell.Length > 0)
            {
                var quoted = cell[0] == (byte)'"';
                if (quoted && cell.Length == 2) cell = default;
                else if (plan.EscapeFormulas && cell[quoted ? 1 : 0] is (byte)'=' or (byte)'+' or (byte)'-' or (byte)'@' or (byte)'\t' or (byte)'\r')
                {
                    if (quoted)
                    {
                        output[written++] = (byte)'"';
                        cell = cell[1..];
                    }
                    output[written++] = (byte)'\'';
                }
            }
            cell.CopyTo(output[written..]);
            written += cell.Length;
            if (end >= row.Length) break;
            output[written++] = (byte)',';
            start = end + 1;
        }
        output[written++] = (byte)'\r';
        output[written++] = (byte)'\n';
        return written;
    }

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
