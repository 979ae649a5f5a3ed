namespace Longhaul.Export;

/// <summary>One database an export may read (<c>Longhaul:Export:Sources:{name}</c>). Clients name it; they never send SQL or connection strings.</summary>
public sealed class ExportSourceOptions
{
    /// <summary><c>postgres</c> or <c>sqlite</c>. Required.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The ADO.NET connection string (Npgsql or Microsoft.Data.Sqlite). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The tables and views a client may export, by name (<c>schema.table</c> allowed). At least one table or query.</summary>
    public Dictionary<string, ExportTableOptions> Tables { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Named queries a client may export by name, with typed parameters. Defaults to none.</summary>
    public Dictionary<string, ExportQueryOptions> Queries { get; set; } = new(StringComparer.Ordinal);
}
