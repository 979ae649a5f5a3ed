using Longhaul.Databases;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Longhaul.Export;

/// <summary>The sources, tables and allowed columns; columns not listed by the operator are discovered once per table.</summary>
internal sealed class ExportCatalog(IOptions<ExportOptions> options)
{
    private readonly ConcurrentDictionary<(string, string), IReadOnlyList<string>> _discovered = new();

    public ExportOptions Options => options.Value;

    public ExportSourceOptions? Source(string name) => Options.Sources.GetValueOrDefault(name);

    /// <summary>What <paramref name="input"/> reads: its table, or its named query with the parameter values bound.</summary>
    public ExportRelation Relation(ExportInput input)
    {
        var source = Options.Sources[input.Source];
        if (input.Query is { } name)
        {
            var query = source.Queries[name];
            return new ExportRelation($"({query.Sql}) AS q", query.Key, ExportParameters.Bind(query, input.Parameters));
        }
        return new ExportRelation(ExportSql.QuoteTable(input.Table!), source.Tables[input.Table!].Key, new Dictionary<string, (object, System.Data.DbType)>());
    }

    /// <summary>The allowed columns of a configured table (in table order when discovered) or the columns of a named query.</summary>
    public IReadOnlyList<string> Columns(ExportInput input)
    {
        var source = Options.Sources[input.Source];
        if (input.Table is { } table && source.Tables[table].Columns is { Count: > 0 } configured) return configured;
        return _discovered.GetOrAdd((input.Source, input.Table ?? "query:" + input.Query), _ =>
        {
            // Validation of a start request is synchronous: the first start of a table pays one round trip, later ones none.
            var relation = Relation(input with { Parameters = null });
            using var connection = ExportSql.Connect(source);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ExportSql.Columns(relation.Sql);
            relation.Bind(command);
            using var reader = command.ExecuteReader();
            return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).Where(SqlNames.IsIdentifier).ToArray();
        });
    }
}
