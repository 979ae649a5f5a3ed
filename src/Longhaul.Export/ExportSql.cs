using System.Data.Common;
using System.Text;
using System.Text.Json;
using Longhaul.Databases;

namespace Longhaul.Export;

/// <summary>
/// The only SQL an export runs, built from allow-listed identifiers (each quoted) and parameters: a client's values
/// never become SQL text.
/// </summary>
internal static class ExportSql
{
    private static string Quote(string identifier) => SqlNames.Quote(identifier);

    private static string QuoteTable(string table) => SqlNames.QuoteTable(table);

    public static DbConnection Connect(ExportSourceOptions source) => DatabaseProviders.Connect(source.Provider, source.ConnectionString);

    /// <summary>
    /// <c>SELECT columns, keys FROM table WHERE filters AND (keys) &gt; (after) ORDER BY keys</c>; the key columns come
    /// last (again) so the reader knows each row's position whatever the client selected.
    /// </summary>
    public static void Select(DbCommand command, string table, IReadOnlyList<string> columns, IReadOnlyList<string> key,
        IReadOnlyList<ExportFilter> filters, IReadOnlyList<JsonElement>? after)
    {
        var sql = new StringBuilder("SELECT ");
        sql.AppendJoin(", ", columns.Concat(key).Select(Quote));
        sql.Append(" FROM ").Append(QuoteTable(table));
        Where(command, sql, key, filters, after);
        sql.Append(" ORDER BY ").AppendJoin(", ", key.Select(Quote));
        command.CommandText = sql.ToString();
    }

    /// <summary><c>SELECT COUNT(*)</c> of the rows still to export: the progress total.</summary>
    public static void Count(DbCommand command, string table, IReadOnlyList<string> key, IReadOnlyList<ExportFilter> filters, IReadOnlyList<JsonElement>? after)
    {
        var sql = new StringBuilder("SELECT COUNT(*) FROM ").Append(QuoteTable(table));
        Where(command, sql, key, filters, after);
        command.CommandText = sql.ToString();
    }

    /// <summary>A query that returns no rows but every column name: the discovered allow-list.</summary>
    public static string Columns(string table) => $"SELECT * FROM {QuoteTable(table)} WHERE 1 = 0";

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
        parameter.ParameterName = "@p" + command.Parameters.Count;
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
