using System.Data.Common;

namespace Longhaul.Export;

/// <summary>
/// What an export reads: an allowed table or view (quoted), or an operator's named query as a derived table with its
/// typed parameter values bound; plus the unique key rows are ordered and resumed by.
/// </summary>
/// <param name="Sql">The relation's SQL: a quoted table name, or <c>(query) AS q</c>.</param>
/// <param name="Key">The unique key column(s).</param>
/// <param name="Parameters">The named query's parameter values by name (bound as <c>@name</c>); empty for a table.</param>
internal sealed record ExportRelation(string Sql, IReadOnlyList<string> Key, IReadOnlyDictionary<string, (object Value, System.Data.DbType Type)> Parameters)
{
    /// <summary>Adds the named query's parameters to <paramref name="command"/>.</summary>
    public void Bind(DbCommand command)
    {
        foreach (var (name, (value, type)) in Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            // A timestamp is UTC: timestamptz on PostgreSQL (Npgsql infers it from a UTC DateTime), text on SQLite.
            if (value is DBNull || type != System.Data.DbType.DateTime) parameter.DbType = type;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }
}
