using System.Collections.Concurrent;
using System.Data.Common;
using Longhaul.Databases;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Longhaul.Import;

/// <summary>The targets and their allowed tables; each table's columns and types are read from the database once.</summary>
internal sealed class ImportCatalog(IOptions<ImportOptions> options)
{
    private readonly ConcurrentDictionary<(string, string), IReadOnlyList<TargetColumn>> _columns = new();

    public ImportOptions Options => options.Value;

    public ImportTargetOptions? Target(string name) => Options.Targets.GetValueOrDefault(name);

    /// <summary>The table's columns in table order; a column whose type the import cannot load has a null kind and is refused when mapped.</summary>
    public IReadOnlyList<TargetColumn> Columns(string targetName, string table)
    {
        var target = Options.Targets[targetName];
        return _columns.GetOrAdd((targetName, table), _ =>
        {
            // Validation of a start request is synchronous: the first start of a table pays one round trip, later ones none.
            using var connection = DatabaseProviders.Connect(target.Provider, target.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {SqlNames.QuoteTable(table)} WHERE 1 = 0";
            using var reader = command.ExecuteReader();
            return Enumerable.Range(0, reader.FieldCount).Select(i => Column(target.Provider, reader, i)).ToArray();
        });
    }

    /// <summary>An open connection to the target for one attempt, wrapped for the table and the mapped columns.</summary>
    public async Task<IImportTarget> OpenAsync(ImportTargetOptions target, string table, IReadOnlyList<TargetColumn> columns, bool staging, CancellationToken cancellationToken)
    {
        var connection = DatabaseProviders.Connect(target.Provider, target.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection switch
        {
            NpgsqlConnection postgres => new PostgresImportTarget(postgres, table, columns, staging),
            SqliteConnection sqlite => new SqliteImportTarget(sqlite, table, columns, staging),
            _ => throw new InvalidOperationException($"No import target for {connection.GetType().Name}."),
        };
    }

    private static TargetColumn Column(string provider, DbDataReader reader, int i)
    {
        var type = reader.GetDataTypeName(i);
        var kind = provider == DatabaseProviders.Postgres ? PostgresImportTarget.KindOf(type) : SqliteImportTarget.KindOf(type);
        return new TargetColumn(reader.GetName(i), type, kind);
    }
}
