namespace Longhaul.Import;

/// <summary>One database an import may load (<c>Longhaul:Import:Targets:{name}</c>). Clients name it; they never send SQL or connection strings.</summary>
public sealed class ImportTargetOptions
{
    /// <summary><c>postgres</c> or <c>sqlite</c>. Required.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The ADO.NET connection string (Npgsql or Microsoft.Data.Sqlite). Required. The import's bookkeeping tables (<c>longhaul_imports</c>, <c>longhaul_import_errors</c>) are created there.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The tables a client may load (<c>schema.table</c> allowed). At least one.</summary>
    public List<string> Tables { get; set; } = [];
}
