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

    /// <summary>The allowed columns of a configured table, in table order when discovered.</summary>
    public IReadOnlyList<string> Columns(string sourceName, string table)
    {
        var source = Options.Sources[sourceName];
        var configured = source.Tables[table];
        if (configured.Columns.Count > 0) return configured.Columns;
        return _discovered.GetOrAdd((sourceName, table), _ =>
        {
            // Validation of a start request is synchronous: the first start of a table pays one round trip, later ones none.
            using var connection = ExportSql.Connect(source);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ExportSql.Columns(table);
            using var reader = command.ExecuteReader();
            return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).Where(SqlNames.IsIdentifier).ToArray();
        });
    }
}
