using System.Data.Common;
using System.Text;
using System.Text.Json;
using Longhaul.Databases;
using Npgsql;

namespace Longhaul.Export;

/// <summary>
/// The only SQL an export runs, built from allow-listed identifiers (each quoted) and parameters: a client's values
/// never become SQL text.
/// </summary>
internal static class ExportSql
{
    public static bool IsIdentifier(string name) => SqlNames.IsIdentifier(name);

    public static string Quote(string identifier) => SqlNames.Quote(identifier);

    public static string QuoteTable(string table) => SqlNames.QuoteTable(table);

    public static DbConnection Connect(ExportSourceOptions source) => DatabaseProviders.Connect(source.Provider,
        source.Provider == DatabaseProviders.Postgres ? WithReadBuffer(source.ConnectionString) : source.ConnectionString);

    /// <summary>
    /// An export reads one long stream: a 256 KiB read buffer (unless the operator set one) takes it from the socket in
    /// 32 times fewer reads than Npgsql's default 8 KiB, each a system call and often a thread hop.
    /// </summary>
    private static string WithReadBuffer(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Read Buffer Size")) builder.ReadBufferSize = 256 * 1024;
        return builder.ConnectionString;
    }

    /// <summary>
    /// <c>SELECT columns, keys FROM table WHERE filters AND (keys) &gt; (after) ORDER BY keys</c>; the key columns come
    /// last (again) so the reader knows each row's position whatever the client selected.
    /// </summary>
    public static void Select(DbCommand command, ExportRelation relation, IReadOnlyList<string> columns,
        IReadOnlyList<ExportFilter> filters, IReadOnlyList<JsonElement>? after)
    {
        var key = relation.Key;
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", columns.Concat(key).Select(Quote));
        sql.Append(" FROM ").Append(relation.Sql);
        relation.Bind(command);
        Where(command, sql, key, filters, after);
        sql.Append(" ORDER BY ").AppendJoin(", ", key.Select(Quote));
        command.CommandText = sql.ToString();
    }

    /// <summary>
    /// A fast estimate of the rows <paramref name="select"/> returns: PostgreSQL's planner estimate (<c>EXPLAIN</c>, from
    /// <c>pg_class.reltuples</c> and the column statistics, no scan); on SQLite an exact <c>COUNT(*)</c>, which reads
    /// the smallest index of an embedded file.
    /// </summary>
    public static async Task<(long Rows, bool Exact)> EstimateAsync(DbCommand select, CancellationToken cancellationToken)
    {
        var text = select.CommandText;
        try
        {
            if (select is NpgsqlCommand)
            {
                select.CommandText = "EXPLAIN (FORMAT JSON) " + text;
                var plan = (string)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                using var document = JsonDocument.Parse(plan);
                return ((long)document.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble(), false);
            }
            select.CommandText = $"SELECT COUNT(*) FROM ({text})";
            return (Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture), true);
        }
        finally
        {
            select.CommandText = text;
        }
    }

    /// <summary>A query that returns no rows but every column name: the discovered allow-list.</summary>
    public static string Columns(string relation) => $"SELECT * FROM {relation} WHERE 1 = 0";

    private static void Where(DbCommand command, StringBuilder sql, IReadOnlyList<string> key, IReadOnlyList<ExportFilter> filters, IReadOnlyList<JsonElement>? after)
    {
        var clauses = new List<string>();
        foreach (var filter in filters)
        {
            var name = Parameter(command, filter.Value);
            clauses.Add($"{Quote(filter.Column)} {filter.Op} {name}");
        }
        if (after is not null)
        {
            var names = after.Select(v => Parameter(command, v)).ToList();
            clauses.Add($"({string.Join(", ", key.Select(Quote))}) > ({string.Join(", ", names)})");
        }
        if (clauses.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", clauses);
    }

    private static string Parameter(DbCommand command, JsonElement value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@export_p" + command.Parameters.Count;
        parameter.Value = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var l) => l,
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => DBNull.Value,
        };
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }
}
